# Bulk pipelines against the emulator: -ThrottleLimit (requests in flight at once, results in input order,
# errors in their place, -WhatIf, Ctrl+C, lost rotation answers). Emulator latency with jitter makes answers
# come back out of order.
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

        $encrypted = $values | Protect-NcpKmsData -KeyTag $aes[0].KeyTag -ThrottleLimit 8
        $signatures = $values | New-NcpKmsSignature -KeyTag $rsa[0].KeyTag -ThrottleLimit 8
        $verdicts = $signatures | ForEach-Object -Begin { $i = 0 } -Process { [pscustomobject]@{ KeyTag = $_.KeyTag; Signature = $_.Signature; Data = $values[$i++] } } |
            Test-NcpKmsSignature -ThrottleLimit 8

        ($encrypted | Unprotect-NcpKmsData -AsPlainText -ThrottleLimit 8) | Should -Be $values
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

        $records = @($items | Unprotect-NcpKmsData -AsPlainText -ThrottleLimit 8 -ErrorAction Continue 2>&1)

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

        $records = @(1..8 | ForEach-Object { "value $_" } | Protect-NcpKmsData -KeyTag $key[0].KeyTag -ThrottleLimit 4 -Verbose 4>&1)

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
