# Bulk pipelines against the emulator: -ThrottleLimit (requests in flight at once, results in input order,
# errors in their place, -WhatIf, Ctrl+C, lost rotation answers) and the batching of Encrypt, Decrypt and
# Re-encrypt (-BatchSize). Emulator latency with jitter makes answers come back out of order.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator

    function New-TestKeys([int] $Count = 1, [string] $KeyType = 'AES256') {
        $name = 'b' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        @(Add-NcpKmsEmulatorKey -Emulator $emulator -Name $name -Count $Count -KeyType $KeyType)
    }

    function Set-Latency([int] $Milliseconds, [int] $JitterMilliseconds = 0, [string] $Path = '*') {
        Set-NcpKmsEmulatorFault -Emulator $emulator -Latency ([timespan]::FromMilliseconds($Milliseconds)) `
            -Jitter ([timespan]::FromMilliseconds($JitterMilliseconds)) -Path $Path
    }

    # The most requests the emulator held at one time: each is in flight from its arrival until its delayed
    # answer left. .NET timers run on a coarse clock (4 ms steps on Linux), so a delay can end that much early
    # and the client's next request arrive before Time + Delay: each answer counts as gone 5 ms early, so that
    # no overlap is counted that was not.
    function Get-MaxInFlight($Requests) {
        $early = [timespan]::FromMilliseconds(5)
        $edges = foreach ($request in $Requests) {
            [pscustomobject]@{ At = $request.Time.UtcTicks; Step = 1 }
            [pscustomobject]@{ At = ($request.Time + $request.Delay - $early).UtcTicks; Step = -1 }
        }
        $inFlight = 0
        $most = 0
        foreach ($edge in $edges | Sort-Object At, Step) {
            $inFlight += $edge.Step
            $most = [Math]::Max($most, $inFlight)
        }
        $most
    }

    # The order in which the emulator answered: by arrival plus the latency it added.
    function Get-AnswerOrder($Requests) {
        @($Requests | Sort-Object { ($_.Time + $_.Delay).UtcTicks } | ForEach-Object Path)
    }
}

AfterAll {
    Complete-TestSession
}

Describe '-ThrottleLimit' {
    AfterEach { Clear-NcpKmsEmulatorFault -Emulator $emulator }

    It 'is on every cmdlet made for many items, from 1 to 64, and 1 by default' -ForEach @(
        'Invoke-NcpKmsKeyRotation', 'Enable-NcpKmsKey', 'Disable-NcpKmsKey', 'Protect-NcpKmsData', 'Unprotect-NcpKmsData',
        'Update-NcpKmsCiphertext', 'New-NcpKmsSignature', 'Test-NcpKmsSignature', 'New-NcpKmsDataKey'
    ) {
        $parameter = (Get-Command $_).Parameters['ThrottleLimit']
        $range = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }

        $parameter.ParameterType | Should -Be ([int])
        $range.MinRange | Should -Be 1
        $range.MaxRange | Should -Be 64
        (Get-Command $_).ImplementingType::new().ThrottleLimit | Should -Be 1
    }

    It 'sends one request at a time by default' {
        $keys = New-TestKeys -Count 6
        Set-Latency 30 -Path '*/rotate'
        $before = Get-RequestCount $emulator

        $null = $keys.KeyTag | Invoke-NcpKmsKeyRotation

        Get-MaxInFlight (Get-RequestsSince $emulator $before) | Should -Be 1
    }

    It 'writes rotations in input order although their answers come back in another order' {
        $keys = New-TestKeys -Count 40
        Set-Latency 5 -JitterMilliseconds 60 -Path '*/rotate'
        $before = Get-RequestCount $emulator

        $rotations = $keys.KeyTag | Invoke-NcpKmsKeyRotation -ThrottleLimit 8

        $requests = Get-RequestsSince $emulator $before
        Get-AnswerOrder $requests | Should -Not -Be @($requests.Path) -Because 'the jitter must reorder the answers for this test to mean anything'
        $rotations.KeyTag | Should -Be $keys.KeyTag
        $rotations.Version | Sort-Object -Unique | Should -Be 2
    }

    It 'writes encrypted values and signatures in input order under jitter' {
        $aes = New-TestKeys
        $rsa = New-TestKeys -KeyType RSA2048
        $values = 1..30 | ForEach-Object { "value $_" }
        Set-Latency 2 -JitterMilliseconds 40

        $encrypted = $values | Protect-NcpKmsData -KeyTag $aes[0].KeyTag -BatchSize 1 -ThrottleLimit 8
        $signatures = $values | New-NcpKmsSignature -KeyTag $rsa[0].KeyTag -ThrottleLimit 8
        $verdicts = $signatures | ForEach-Object -Begin { $i = 0 } -Process { [pscustomobject]@{ KeyTag = $_.KeyTag; Signature = $_.Signature; Data = $values[$i++] } } |
            Test-NcpKmsSignature -ThrottleLimit 8

        ($encrypted | Unprotect-NcpKmsData -AsPlainText -BatchSize 1 -ThrottleLimit 8) | Should -Be $values
        $verdicts | Should -Be (@($true) * 30)
    }

    It 'writes each failing key''s error in its place among 50, for failed requests and for refused input' {
        $keys = New-TestKeys -Count 50
        $null = Disable-NcpKmsKey -KeyTag $keys[19].KeyTag
        $tags = @($keys.KeyTag)
        $tags[9] = 'not/a/tag'
        $tags[34] = 'unknownkey0000'
        Set-Latency 5 -JitterMilliseconds 30 -Path '*/rotate'

        $records = @($tags | Invoke-NcpKmsKeyRotation -ThrottleLimit 8 -ErrorAction Continue 2>&1)

        $records.Count | Should -Be 50
        $errorAt = @(0..49 | Where-Object { $records[$_] -is [System.Management.Automation.ErrorRecord] })
        $errorAt | Should -Be @(9, 19, 34)
        $records[9].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*'
        $records[19].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $records[19].TargetObject | Should -Be $tags[19]
        $records[34].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $records[34].TargetObject | Should -Be $tags[34]
        $rotated = @(0..49 | Where-Object { $_ -notin $errorAt })
        $rotated | ForEach-Object { $records[$_].KeyTag } | Should -Be ($rotated | ForEach-Object { $tags[$_] })
    }

    It 'writes each failing ciphertext''s error in its place among 50' {
        $keys = New-TestKeys -Count 2
        $encrypted = @(1..50 | ForEach-Object { "value $_" } | Protect-NcpKmsData -KeyTag $keys[0].KeyTag)
        $other = Protect-NcpKmsData -KeyTag $keys[1].KeyTag -Plaintext 'other key'
        $null = Disable-NcpKmsKey -KeyTag $keys[1].KeyTag
        $items = @($encrypted | ForEach-Object { [pscustomobject]@{ KeyTag = $_.KeyTag; Ciphertext = $_.Ciphertext } })
        $items[19] = [pscustomobject]@{ KeyTag = $other.KeyTag; Ciphertext = $other.Ciphertext }
        $items[34] = [pscustomobject]@{ KeyTag = $keys[0].KeyTag; Ciphertext = 'not a ciphertext' }
        Set-Latency 2 -JitterMilliseconds 30

        $records = @($items | Unprotect-NcpKmsData -AsPlainText -ThrottleLimit 8 -BatchSize 4 -ErrorAction Continue 2>&1)

        $records.Count | Should -Be 50
        @(0..49 | Where-Object { $records[$_] -is [System.Management.Automation.ErrorRecord] }) | Should -Be @(19, 34)
        $records[19].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $records[34].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidCiphertext,*'
        @($records | Where-Object { $_ -is [string] }) | Should -Be (1..50 | Where-Object { $_ -notin 20, 35 } | ForEach-Object { "value $_" })
    }

    It 'sends nothing and prompts for nothing under -WhatIf with 200 keys' {
        $keys = New-TestKeys -Count 200
        $before = Get-RequestCount $emulator

        # Without a host, a prompt fails at once instead of waiting; the -Confirm run shows that it would.
        $tags = "'" + ($keys.KeyTag -join "','") + "'"
        $whatIf = Invoke-WithoutHost "$tags | Invoke-NcpKmsKeyRotation -ThrottleLimit 8 -WhatIf; $tags | Disable-NcpKmsKey -ThrottleLimit 8 -WhatIf"
        $confirm = Invoke-WithoutHost "'$($keys[0].KeyTag)' | Invoke-NcpKmsKeyRotation -ThrottleLimit 8 -Confirm"

        $whatIf.Output | Should -BeNullOrEmpty
        $whatIf.Errors | Should -BeNullOrEmpty
        $confirm.Errors[0].FullyQualifiedErrorId | Should -BeLike 'HostFunctionNotImplemented,*'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'overlaps requests: 32 rotations with 50 ms latency at -ThrottleLimit 8 take under half the sequential time' {
        $keys = New-TestKeys -Count 32
        Set-Latency 50 -Path '*/rotate'
        $sequential = [timespan]::FromMilliseconds(32 * 50)

        $elapsed = Measure-Command { $null = $keys.KeyTag | Invoke-NcpKmsKeyRotation -ThrottleLimit 8 }

        $elapsed | Should -BeLessThan ([timespan]::FromTicks($sequential.Ticks / 2))
        (Get-NcpKmsKey -KeyTag $keys.KeyTag).CurrentVersion | Sort-Object -Unique | Should -Be 2
    }

    It 'never has more requests in flight than the limit' -ForEach @(
        @{ Limit = 3; Command = { $args[0] | Invoke-NcpKmsKeyRotation -ThrottleLimit 3 } }
        @{ Limit = 5; Command = { $args[0] | Disable-NcpKmsKey -ThrottleLimit 5 } }
    ) {
        $keys = New-TestKeys -Count 24
        Set-Latency 20 -JitterMilliseconds 20
        $before = Get-RequestCount $emulator

        $null = & $Command $keys.KeyTag

        $most = Get-MaxInFlight (Get-RequestsSince $emulator $before)
        $most | Should -BeLessOrEqual $Limit
        $most | Should -BeGreaterThan 1
    }

    It 'stops within a second on Ctrl+C, cancelling what is in flight and writing nothing more' {
        $keys = New-TestKeys -Count 40
        Set-Latency 200 -Path '*/rotate'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("param(`$Tags) Import-Module '$ModulePath'; `$Tags | Invoke-NcpKmsKeyRotation -ThrottleLimit 4").AddParameter('Tags', $keys.KeyTag)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $null = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($output.Count -lt 4 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }

            $stopping = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $stopping.Stop()
            $written = $output.Count
            $sent = Get-RequestCount $emulator
            Start-Sleep -Milliseconds 500

            $stopping.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(1))
            $written | Should -BeGreaterOrEqual 4
            $written | Should -BeLessThan 40
            $output.Count | Should -Be $written
            @($output.KeyTag) | Should -Be @($keys.KeyTag[0..($written - 1)])
            Get-RequestCount $emulator | Should -Be $sent
            "$($shell.InvocationStateInfo.State)" | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'reports each retry on Verbose while other requests run' {
        $key = New-TestKeys
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 3 -StatusCode 503 -RetryAfter 0 -Path '*/encrypt'

        $records = @(1..8 | ForEach-Object { "value $_" } | Protect-NcpKmsData -KeyTag $key[0].KeyTag -BatchSize 1 -ThrottleLimit 4 -Verbose 4>&1)

        $retries = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'retry \d of 3' })
        $retries.Count | Should -Be 3
        $retries | ForEach-Object { $_.Message | Should -Match "Encrypt for key '$($key[0].KeyTag)': HTTP 503" }
        @($records | Where-Object { $_ -is [NcpKms.EncryptedData] }).Count | Should -Be 8
    }

    It 'recovers lost rotation answers while other rotations run, and rotates the same key in turn' {
        $keys = New-TestKeys -Count 8
        $same = New-TestKeys
        # The same key comes six times, between the others, so lost answers hit it and the others alike.
        $tags = @(0..5 | ForEach-Object { $same[0].KeyTag; $keys[$_].KeyTag }) + $keys[6..7].KeyTag
        Set-Latency 10 -JitterMilliseconds 20 -Path '*/rotate'
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 4 -DropWhen After -Method POST -Path '*/rotate'
        $before = Get-RequestCount $emulator

        $rotations = $tags | Invoke-NcpKmsKeyRotation -ThrottleLimit 8

        $rotations.KeyTag | Should -Be $tags
        @($rotations | Where-Object KeyTag -NE $same[0].KeyTag).Version | Sort-Object -Unique | Should -Be 2
        @($rotations | Where-Object KeyTag -EQ $same[0].KeyTag).Version | Should -Be @(2, 3, 4, 5, 6, 7)
        (Get-NcpKmsKey -KeyTag $same[0].KeyTag).CurrentVersion | Should -Be 7
        $requests = Get-RequestsSince $emulator $before
        @($requests | Where-Object Fault -EQ 'Dropped-after').Count | Should -Be 4
        Get-MaxInFlight @($requests | Where-Object Path -Like "*/$($same[0].KeyTag)/rotate") | Should -Be 1
    }
}

Describe 'Batching of Encrypt, Decrypt and Re-encrypt' {
    AfterEach { Clear-NcpKmsEmulatorFault -Emulator $emulator }

    It 'takes -BatchSize from 1 to 100, 50 by default, on the cmdlets whose API takes a list' -ForEach @(
        'Protect-NcpKmsData', 'Unprotect-NcpKmsData', 'Update-NcpKmsCiphertext'
    ) {
        $range = (Get-Command $_).Parameters['BatchSize'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }

        $range.MinRange | Should -Be 1
        $range.MaxRange | Should -Be 100
        (Get-Command $_).ImplementingType::new().BatchSize | Should -Be 50
    }

    It 'encrypts 50 small values in one request and decrypts them back, in order, in one more' {
        $key = New-TestKeys
        $values = 1..50 | ForEach-Object { "secret $_" }
        $before = Get-RequestCount $emulator

        $encrypted = $values | Protect-NcpKmsData -KeyTag $key[0].KeyTag
        $decrypted = $encrypted | Unprotect-NcpKmsData -AsPlainText
        $updated = $encrypted | Update-NcpKmsCiphertext

        $decrypted | Should -Be $values
        $encrypted.Count | Should -Be 50
        $updated.Count | Should -Be 50
        $requests = Get-RequestsSince $emulator $before
        foreach ($action in 'encrypt', 'decrypt', 're-encrypt') {
            @($requests | Where-Object Path -Like "*/$action").Count | Should -Be 1 -Because "all 50 values go in one $action request"
        }
    }

    It 'sends a single value at once, as a single value' {
        $key = New-TestKeys

        $encrypted = Protect-NcpKmsData -KeyTag $key[0].KeyTag -Plaintext 'alone'

        $encrypted.Ciphertext | Should -Match '^ncpkms:v1:'
        $encrypted | Unprotect-NcpKmsData -AsPlainText | Should -Be 'alone'
    }

    It 'starts a new request before the values would pass 32 KB' {
        $key = New-TestKeys
        $values = 1..5 | ForEach-Object { $bytes = [byte[]]::new(10KB); $bytes[-1] = $_; , $bytes }
        $before = Get-RequestCount $emulator

        $encrypted = $values | Protect-NcpKmsData -KeyTag $key[0].KeyTag
        $decrypted = $encrypted | Unprotect-NcpKmsData -AsByteArray

        $requests = Get-RequestsSince $emulator $before
        @($requests | Where-Object Path -Like '*/encrypt').Count | Should -Be 2 -Because '3 values of 10 KB fit in 32 KB, a fourth would not'
        @($requests | Where-Object Path -Like '*/decrypt').Count | Should -Be 3 -Because 'each ciphertext is over 13 KB'
        $decrypted | ForEach-Object { $_[-1] } | Should -Be @(1, 2, 3, 4, 5)
    }

    It 'starts a new request when the key changes, and when -BatchSize is reached' {
        $keys = New-TestKeys -Count 2
        $first = @(1..3 | ForEach-Object { "first $_" } | Protect-NcpKmsData -KeyTag $keys[0].KeyTag)
        $second = @(1..3 | ForEach-Object { "second $_" } | Protect-NcpKmsData -KeyTag $keys[1].KeyTag)
        $before = Get-RequestCount $emulator

        $decrypted = $first + $second + $first | Unprotect-NcpKmsData -AsPlainText
        $small = $first + $first | Unprotect-NcpKmsData -AsPlainText -BatchSize 4

        $decrypted | Should -Be (@('first 1', 'first 2', 'first 3', 'second 1', 'second 2', 'second 3') + @('first 1', 'first 2', 'first 3'))
        $small.Count | Should -Be 6
        @(Get-RequestsSince $emulator $before | Where-Object Path -Like '*/decrypt').Count | Should -Be (3 + 2)
    }

    It 'fails every value of a failed request, each with its own error, and goes on' {
        $key = New-TestKeys
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 400 -Path '*/encrypt'
        $before = Get-RequestCount $emulator

        $records = @(1..7 | ForEach-Object { "value $_" } | Protect-NcpKmsData -KeyTag $key[0].KeyTag -BatchSize 5 -ErrorAction Continue 2>&1)

        $failures = @($records[0..4])
        $failures | ForEach-Object { $_ | Should -BeOfType [System.Management.Automation.ErrorRecord] }
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures.TargetObject | Sort-Object -Unique | Should -Be $key[0].KeyTag
        @($failures | ForEach-Object { [System.Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) } | Sort-Object -Unique).Count |
            Should -Be 5 -Because 'each value has an error record of its own'
        $records[5..6] | Unprotect-NcpKmsData -AsPlainText | Should -Be @('value 6', 'value 7')
        @(Get-RequestsSince $emulator $before | Where-Object Path -Like '*/encrypt').Count | Should -Be 2
    }

    It 'holds memory flat while 5,000 values stream through with -ThrottleLimit 8' {
        $key = New-TestKeys
        $padding = 'x' * 1000
        $samples = @{}

        # Whole-input buffering would keep about 3 KB per value alive between the two samples (11 MB for 3,900).
        & {
            foreach ($i in 1..5000) {
                if ($i -in 1000, 4900) { $samples[$i] = [GC]::GetTotalMemory($true) }
                "$padding $i"
            }
        } | Protect-NcpKmsData -KeyTag $key[0].KeyTag -BatchSize 10 -ThrottleLimit 8 | Measure-Object | ForEach-Object Count | Should -Be 5000

        ($samples[4900] - $samples[1000]) | Should -BeLessThan 4MB
    }
}

Describe 'Help for bulk pipelines' {
    It 'describes -ThrottleLimit and -BatchSize in each cmdlet''s help, pointing to BULK OPERATIONS' -ForEach @(
        @{ Name = 'Invoke-NcpKmsKeyRotation'; Batch = $false }, @{ Name = 'Enable-NcpKmsKey'; Batch = $false }, @{ Name = 'Disable-NcpKmsKey'; Batch = $false }
        @{ Name = 'Protect-NcpKmsData'; Batch = $true }, @{ Name = 'Unprotect-NcpKmsData'; Batch = $true }, @{ Name = 'Update-NcpKmsCiphertext'; Batch = $true }
        @{ Name = 'New-NcpKmsSignature'; Batch = $false }, @{ Name = 'Test-NcpKmsSignature'; Batch = $false }, @{ Name = 'New-NcpKmsDataKey'; Batch = $false }
    ) {
        $throttle = (Get-Help $Name -Parameter ThrottleLimit).Description.Text -join ' '

        $throttle | Should -Match 'in input order'
        $throttle | Should -Match 'BULK OPERATIONS'
        if ($Batch) {
            $batchSize = (Get-Help $Name -Parameter BatchSize).Description.Text -join ' '
            $batchSize | Should -Match '32 KB'
            $batchSize | Should -Match '-BatchSize 1'
            $batchSize | Should -Match 'own error record'
        }
    }

    It 'has a BULK OPERATIONS section in about_NcpKms on the limit, the order, Ctrl+C and batching' {
        $topic = Get-Help about_NcpKms | Out-String
        $section = [regex]::Match($topic, '(?ms)^BULK OPERATIONS\s*$(.*?)^TAB COMPLETION\s*$').Groups[1].Value

        foreach ($phrase in '-ThrottleLimit', 'in input order', 'Ctrl+C', '-BatchSize', '32 KB', '190 bytes', 'error record of its own', '-BatchSize 1 turns batching off') {
            $section | Should -Match ([regex]::Escape($phrase))
        }
    }
}
