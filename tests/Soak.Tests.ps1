BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator
    $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'soak' -Count 12
}

AfterAll {
    Complete-TestSession
}

Describe 'Soak: mixed operations under every kind of fault' {
    It 'accounts for every operation: each succeeded once or failed with an NcpKms error, no key rotated more than reported, every ciphertext decrypts' {
        $rounds = 12
        $perRound = 24
        $results = [System.Collections.Concurrent.ConcurrentBag[object]]::new()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        foreach ($round in 1..$rounds) {
            # A few per cent of every kind of fault, renewed each round; latency and throttling stay on.
            Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 503 -RetryAfter 0
            Set-NcpKmsEmulatorFault -Emulator $emulator -HtmlCount 1 -StatusCode 502
            Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen ($round % 2 ? 'After' : 'Before')
            if ($round -eq 1) {
                Set-NcpKmsEmulatorFault -Emulator $emulator -Latency '00:00:00.002' -Jitter '00:00:00.004'
                Set-NcpKmsEmulatorFault -Emulator $emulator -RequestsPerSecond 40 -RetryAfter 0
            }
            # Four workers, each with its own keys: the module tells apart its own rotations, not those of
            # another client rotating the same key at the same moment (see about_NcpKms).
            $work = foreach ($worker in 0..3) {
                , @(foreach ($i in 1..($perRound / 4)) {
                        [pscustomobject]@{ Id = "$round-$worker-$i"; KeyTag = $keys[$worker * 3 + $i % 3].KeyTag; Kind = @('Rotate', 'Seal')[$i % 2] }
                    })
            }
            $work | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:ModulePath
                foreach ($item in $_) {
                $record = [ordered]@{ Id = $item.Id; KeyTag = $item.KeyTag; Kind = $item.Kind; Ok = $false; ErrorId = $null; Version = $null; Plain = $null; Cipher = $null }
                try {
                    if ($item.Kind -eq 'Rotate') {
                        $record.Version = (Invoke-NcpKmsKeyRotation -KeyTag $item.KeyTag -ErrorAction Stop).Version
                    }
                    else {
                        $record.Plain = "value $($item.Id)"
                        $record.Cipher = (Protect-NcpKmsData -KeyTag $item.KeyTag -Plaintext $record.Plain -ErrorAction Stop).Ciphertext
                    }
                    $record.Ok = $true
                }
                catch { $record.ErrorId = $_.FullyQualifiedErrorId }
                ($using:results).Add([pscustomobject]$record)
                }
            }
        }
        Clear-NcpKmsEmulatorFault -Emulator $emulator
        $watch.Stop()

        $all = @($results)
        $all.Count | Should -Be ($rounds * $perRound)
        @($all | Where-Object { -not $_.Ok -and $_.ErrorId -notlike 'NcpKms.*' }) | Should -BeNullOrEmpty
        @($all | Where-Object { $_.Ok -and $_.ErrorId }) | Should -BeNullOrEmpty
        $faulted = @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Where-Object Fault -In 'Failed', 'Html', 'Dropped-before', 'Dropped-after', 'Throttled')
        $faulted.Count | Should -BeGreaterOrEqual ($rounds * 3)
        @($faulted | Where-Object Fault -EQ 'Dropped-after').Count | Should -BeGreaterThan 0
        foreach ($key in $keys) {
            $rotated = @($all | Where-Object { $_.KeyTag -eq $key.KeyTag -and $_.Kind -eq 'Rotate' -and $_.Ok }).Count
            (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be (1 + $rotated) -Because "key $($key.KeyTag) was reported rotated $rotated times"
        }
        foreach ($sealed in @($all | Where-Object { $_.Kind -eq 'Seal' -and $_.Ok })) {
            Unprotect-NcpKmsData -KeyTag $sealed.KeyTag -Ciphertext $sealed.Cipher -AsPlainText | Should -Be $sealed.Plain
        }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
    }
}
