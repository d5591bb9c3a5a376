BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator
    $good = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'goodkey' -Count 2

    # Rotates a failing key between two good ones and returns the outputs and the errors.
    function Invoke-RotationAround([string] $FailingTag, [hashtable] $Extra = @{}) {
        $outputs = $good[0].KeyTag, $FailingTag, $good[1].KeyTag |
            Invoke-NcpKmsKeyRotation @Extra -ErrorVariable failures -ErrorAction SilentlyContinue
        [pscustomobject]@{ Outputs = @($outputs); Errors = @($failures) }
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Errors from the service' {
    It 'reports an unknown key as NcpKms.KeyNotFound and rotates the keys around it' {
        $run = Invoke-RotationAround 'unknownkeytag000'

        $run.Outputs.KeyTag | Should -Be $good.KeyTag
        $run.Errors.Count | Should -Be 1
        $failure = $run.Errors[0]
        $failure.FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.TargetObject | Should -Be 'unknownkeytag000'
        $failure.Exception.StatusCode | Should -Be 404
        $failure.Exception.NcpCode | Should -Not -BeNullOrEmpty
        $failure.Exception.NcpMessage | Should -Not -BeNullOrEmpty
        $failure.Exception.RequestId | Should -Not -BeNullOrEmpty
        $failure.Exception.Message | Should -Match ([regex]::Escape($failure.Exception.RequestId))
    }

    It 'reports rotating a disabled key as NcpKms.InvalidKeyState' {
        $disabled = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'disabled' -Status DISABLE

        $run = Invoke-RotationAround $disabled.KeyTag

        $run.Outputs.KeyTag | Should -Be $good.KeyTag
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $run.Errors[0].TargetObject | Should -Be $disabled.KeyTag
        $run.Errors[0].Exception.StatusCode | Should -Be 422
        $run.Errors[0].Exception.NcpCode | Should -Be 'UNPROCESSABLE_ENTITY'
    }

    It 'reports a key at 100 versions as NcpKms.InvalidKeyState' {
        $full = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'fullkey' -VersionCount 100

        $run = Invoke-RotationAround $full.KeyTag

        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
    }

    It 'reports a wrong secret key as NcpKms.AuthenticationFailed for every key' {
        $wrong = Connect-TestEmulator $emulator -SecretKey 'not-the-secret' -PassThru
        Connect-TestEmulator $emulator

        $outputs = $good.KeyTag | Invoke-NcpKmsKeyRotation -Context $wrong -ErrorVariable failures -ErrorAction SilentlyContinue

        $outputs | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].Exception.StatusCode | Should -Be 401
        $failures[0].Exception.NcpCode | Should -Be '200'
        $failures[0].TargetObject | Should -Be $good[0].KeyTag
    }

    It 'reports an unknown access key as NcpKms.AuthenticationFailed' {
        $wrong = Connect-TestEmulator $emulator -AccessKey 'UNKNOWNACCESSKEY0000' -PassThru
        Connect-TestEmulator $emulator

        $run = Invoke-RotationAround $good[0].KeyTag @{ Context = $wrong }

        $run.Outputs | Should -BeNullOrEmpty
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'corrects a local clock more than 5 minutes off once, warns once with the measured skew, and goes on' {
        $skewed = Start-NcpKmsEmulator -ClockSkew (New-TimeSpan -Minutes 10)
        $key = Add-NcpKmsEmulatorKey -Emulator $skewed -Name 'skewed'
        $context = Connect-TestEmulator $skewed -PassThru
        Connect-TestEmulator $emulator

        $outputs = $key.KeyTag, $key.KeyTag | Invoke-NcpKmsKeyRotation -Context $context -WarningVariable warnings -WarningAction SilentlyContinue

        $outputs.Version | Should -Be @(2, 3)
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '(9\.\d|10\.\d) minutes behind'
        $refused = @(Get-NcpKmsEmulatorRequest -Emulator $skewed | Where-Object StatusCode -EQ 401)
        $refused.Count | Should -Be 1
        Stop-NcpKmsEmulator -Emulator $skewed
    }

    It 'reports an unreachable endpoint as NcpKms.ConnectionFailed' {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $context = Connect-NcpKms -Endpoint "http://127.0.0.1:$port" -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -SkipValidation -PassThru -MaxRetries 0
        Connect-TestEmulator $emulator

        $run = Invoke-RotationAround $good[0].KeyTag @{ Context = $context }

        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.ConnectionFailed,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'stops the pipeline at a failed key under -ErrorAction Stop' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'stopafter' -Count 2

        { $keys[0].KeyTag, 'unknownkeytag111', $keys[1].KeyTag | Invoke-NcpKmsKeyRotation -ErrorAction Stop } |
            Should -Throw -ErrorId 'NcpKms.KeyNotFound,*'

        (Get-NcpKmsKey -KeyTag $keys.KeyTag).CurrentVersion | Should -Be @(2, 1)
    }
}
