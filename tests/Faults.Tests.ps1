BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator

    function Get-RequestsSinceCount([int] $Count) { @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Select-Object -Skip $Count) }
}

AfterAll {
    Complete-TestSession
}

Describe 'Retries under faults' {
    AfterEach { Clear-NcpKmsEmulatorFault -Emulator $emulator }

    It 'retries throttled calls after Retry-After, each attempt signed afresh, and reports each retry on Verbose' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'throttled'
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 2 -StatusCode 429 -RetryAfter 0 -Path '*/rotate'
        $before = Get-RequestCount $emulator

        $rotation = Invoke-NcpKmsKeyRotation $key.KeyTag -Verbose 4>&1 | Tee-Object -Variable records | Where-Object { $_ -is [NcpKms.KeyRotation] }

        $rotation.Version | Should -Be 2
        $sent = Get-RequestsSinceCount $before
        $sent.Count | Should -Be 3
        $sent.Fault[0..1] | Should -Be @('Failed', 'Failed')
        $retries = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'retry \d of 3' })
        $retries.Count | Should -Be 2
        $retries[0].Message | Should -Match 'HTTP 429 \(Throttled\); retry 1 of 3 in 0 s'
    }

    It 'retries a read after 503, 504 and an HTML 502 page' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'readretry'
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 503 -RetryAfter 0 -Method GET
        $before = Get-RequestCount $emulator

        (Get-NcpKmsKey -KeyTag $key.KeyTag).KeyName | Should -Be 'readretry'
        Set-NcpKmsEmulatorFault -Emulator $emulator -HtmlCount 1 -Method GET
        (Get-NcpKmsKeyVersion $key.KeyTag).Version | Should -Be 1

        (Get-RequestsSinceCount $before).Count | Should -Be 4
    }

    It 'never retries a rotation answered 503, and reports NcpKms.ServiceUnavailable' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'norotateretry'
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 503 -RetryAfter 0 -Path '*/rotate'
        $before = Get-RequestCount $emulator

        Invoke-NcpKmsKeyRotation $key.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.ServiceUnavailable,*'
        @(Get-RequestsSinceCount $before | Where-Object Method -EQ 'POST').Count | Should -Be 1
        (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be 1
    }

    It 'reports the rotation that happened when its answer was lost, and rotates only once' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'lostanswer' -VersionCount 4
        # Its earlier versions are minutes old when the rotation is made, as they would be in real use.
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance '00:02:00'
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen After -Method POST -Path '*/rotate'
        $before = Get-RequestCount $emulator

        $rotation = Invoke-NcpKmsKeyRotation $key.KeyTag

        $rotation.Version | Should -Be 5
        $rotation.KeyTag | Should -Be $key.KeyTag
        $posts = @(Get-RequestsSinceCount $before | Where-Object Method -EQ 'POST')
        $posts.Count | Should -Be 1
        $posts[0].Fault | Should -Be 'Dropped-after'
        (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be 5
    }

    It 'tells its own lost rotation from the one it made a moment before' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'twicequick'
        $first = Invoke-NcpKmsKeyRotation $key.KeyTag
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen After -Method POST -Path '*/rotate'

        $second = Invoke-NcpKmsKeyRotation $key.KeyTag
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen Before -Method POST -Path '*/rotate'
        Invoke-NcpKmsKeyRotation $key.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $first.Version | Should -Be 2
        $second.Version | Should -Be 3
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.RotationNotApplied,*'
        (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be 3
    }

    It 'says NcpKms.RotationNotApplied when the connection dropped before the rotation was made' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'droppedbefore'
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen Before -Method POST -Path '*/rotate'

        $other = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'droppedafter2'
        $rotations = $key.KeyTag, $other.KeyTag | Invoke-NcpKmsKeyRotation -ErrorVariable failures -ErrorAction SilentlyContinue

        $rotations.KeyTag | Should -Be $other.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.RotationNotApplied,*'
        $failures[0].TargetObject | Should -Be $key.KeyTag
        $failures[0].Exception.Message | Should -Match 'was not rotated'
        (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be 1
    }

    It 'retries an encryption whose connection dropped, since it changes nothing' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'cryptodrop'
        Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen After -Path '*/encrypt'

        $sealed = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'again'

        $sealed | Unprotect-NcpKmsData -AsPlainText | Should -Be 'again'
    }

    It 'gives up after MaxRetries with the last error' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'givesup'
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 10 -StatusCode 429 -RetryAfter 0
        $context = Connect-TestEmulator $emulator -PassThru
        $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $emulator.SecretKey) -MaxRetries 2 -SkipValidation -PassThru
        Connect-TestEmulator $emulator
        $before = Get-RequestCount $emulator

        Get-NcpKmsKey -KeyTag $key.KeyTag -Context $context -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.Throttled,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        (Get-RequestsSinceCount $before).Count | Should -Be 3
    }

    It 'stops a back-off wait within a second of Ctrl+C' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'backoffstop'
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 5 -StatusCode 429 -RetryAfter 30
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$ModulePath'; Get-NcpKmsKey -KeyTag '$($key.KeyTag)'")
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((Get-NcpKmsEmulatorRequest -Emulator $emulator)[-1].Fault -ne 'Failed' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 200

            $elapsed = Measure-Command { $shell.Stop() }

            $elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Bad answers' {
    AfterEach { Clear-NcpKmsEmulatorFault -Emulator $emulator }

    It 'turns <Name> into <ErrorId> with the status and request id, never a .NET exception' -ForEach @(
        @{ Name = 'an HTML page'; Fault = @{ HtmlCount = 5; StatusCode = 502 }; ErrorId = 'NcpKms.ServiceUnavailable'; Status = 502 }
        @{ Name = 'an empty 500'; Fault = @{ FailCount = 5; StatusCode = 500; Body = '' }; ErrorId = 'NcpKms.ServiceUnavailable'; Status = 500 }
        @{ Name = 'a truncated JSON 503'; Fault = @{ FailCount = 5; StatusCode = 503; Body = '{"error":{"errorCo' }; ErrorId = 'NcpKms.ServiceUnavailable'; Status = 503 }
        @{ Name = 'a non-JSON 400'; Fault = @{ FailCount = 5; StatusCode = 400; Body = 'oops' }; ErrorId = 'NcpKms.InvalidRequest'; Status = 400 }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name ('bad' + (Get-Random -Maximum 999999))
        Set-NcpKmsEmulatorFault -Emulator $emulator @Fault
        $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $emulator.SecretKey) -MaxRetries 0 -SkipValidation -PassThru
        Connect-TestEmulator $emulator

        Get-NcpKmsKey -KeyTag $key.KeyTag -Context $context -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].Exception | Should -BeOfType ([NcpKms.Core.KmsException])
        $failures[0].Exception.StatusCode | Should -Be $Status
        $failures[0].Exception.RequestId | Should -Not -BeNullOrEmpty
        $failures[0].Exception.Message | Should -Not -Match '<[a-z/!]'
    }
}

Describe 'Secrets under faults' {
    AfterEach { Clear-NcpKmsEmulatorFault -Emulator $emulator }

    It 'keeps the secret key and the plaintext out of every stream while calls fail, retry and recover' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'faultsecret'
        $plaintext = 'Plain-' + [guid]::NewGuid().ToString('n')
        $sealed = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext (ConvertTo-TestSecureString $plaintext)

        $text = Get-AllStreamText {
            Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 503 -RetryAfter 0
            Set-NcpKmsEmulatorFault -Emulator $emulator -HtmlCount 1
            Set-NcpKmsEmulatorFault -Emulator $emulator -DropCount 1 -DropWhen After
            $sealed | Unprotect-NcpKmsData -Verbose -Debug -ErrorAction Continue | Out-Null
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext (ConvertTo-TestSecureString $plaintext) -Verbose -Debug
            Invoke-NcpKmsKeyRotation $key.KeyTag -Verbose -Debug
            Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 5 -StatusCode 500 -Body "{`"error`":{`"errorCode`":`"900`",`"message`":`"boom`"}}"
            $sealed | Unprotect-NcpKmsData -Verbose -Debug -ErrorAction Continue
        }

        $text | Should -Match 'retry 1 of 3'
        $text | Should -Match 'NcpKms.ServiceUnavailable|boom'
        $text | Should -Not -Match ([regex]::Escape($emulator.SecretKey))
        $text | Should -Not -Match ([regex]::Escape($plaintext))
        $text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($plaintext))))
    }
}
