# Tests Rotate-AppKeys.ps1 against a local KMS emulator: real HTTP, real signatures, real errors.
BeforeAll {
    Import-Module NcpKms.Emulator
    Import-Module NcpKms
    $runbook = Join-Path $PSScriptRoot 'Rotate-AppKeys.ps1'

    # The runbook reads its connection from the environment, as in CI; keep what was there to put it back.
    $variables = 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_KMS_ENDPOINT'
    $saved = @{}
    foreach ($name in $variables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    # A session context from Connect-NcpKms would be used before the variables.
    Disconnect-NcpKms
}

AfterAll {
    foreach ($name in $variables) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
}

Describe 'Rotate-AppKeys.ps1' {
    BeforeEach {
        # A new, empty emulator for every test, and the runbook's variables pointing at it.
        $emulator = Start-NcpKmsEmulator
        $env:NCLOUD_ACCESS_KEY_ID = $emulator.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $emulator.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint

        $web = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'app-web'
        $api = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'app-api' -VersionCount 3
        $old = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'app-old' -Status DISABLE
        $db = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'db-main'
    }

    AfterEach {
        Stop-NcpKmsEmulator -Emulator $emulator
    }

    It 'rotates every enabled app-* key once and leaves the other keys alone' {
        $result = & $runbook

        $result.KeyName | Should -Be 'app-web', 'app-api'
        $result.Version | Should -Be 2, 4
        (Get-NcpKmsKey -KeyTag $web.KeyTag).CurrentVersion | Should -Be 2
        (Get-NcpKmsKey -KeyTag $api.KeyTag).CurrentVersion | Should -Be 4
        (Get-NcpKmsKey -KeyTag $old.KeyTag).CurrentVersion | Should -Be 1
        (Get-NcpKmsKey -KeyTag $db.KeyTag).CurrentVersion | Should -Be 1
    }

    It 'fails, and rotates no further key, when NCP answers a rotation with an error' {
        # The next rotation gets HTTP 503 "Endpoint Error", as when the gateway cannot reach KMS.
        Set-NcpKmsEmulatorFault -Emulator $emulator -FailCount 1 -StatusCode 503 -Method POST -Path '*/rotate'

        { & $runbook } | Should -Throw -ErrorId 'NcpKms.ServiceUnavailable*'

        (Get-NcpKmsKey -KeyTag $web.KeyTag).CurrentVersion | Should -Be 1
        (Get-NcpKmsKey -KeyTag $api.KeyTag).CurrentVersion | Should -Be 3
        $failed = @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Where-Object Fault -EQ 'Failed')
        $failed.Path | Should -Be "/kms/v1/keys/$($web.KeyTag)/rotate"
    }
}
