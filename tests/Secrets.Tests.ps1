BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $secret = 'Sup3r-Secret-Key-' + [guid]::NewGuid().ToString('n')
    $wrongSecret = 'Wr0ng-Secret-Key-' + [guid]::NewGuid().ToString('n')
    $emulator = Start-NcpKmsEmulator -SecretKey $secret -KeyCount 3
    $disabled = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'secretsoff' -Status DISABLE
}

AfterAll {
    Complete-TestSession
}

Describe 'Secret keys' {
    It 'never writes the secret key to any stream under -Verbose -Debug' {
        $env:NCLOUD_ACCESS_KEY_ID = $emulator.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $secret
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint

        $text = Get-AllStreamText {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Get-NcpKmsContext -Verbose -Debug
            Get-NcpKmsContext | Format-List * | Out-String
            Get-NcpKmsContext | ConvertTo-Json
            "$(Get-NcpKmsContext)"
            Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $secret) -PassThru -Verbose -Debug
            Get-NcpKmsKey -Verbose -Debug | Invoke-NcpKmsKeyRotation -Verbose -Debug -ErrorAction Continue
            Get-NcpKmsKey -Verbose -Debug | Select-Object -First 1 | Get-NcpKmsKeyVersion -Verbose -Debug
            Invoke-NcpKmsKeyRotation -KeyTag $disabled.KeyTag -Verbose -Debug -ErrorAction Continue
            Disconnect-NcpKms -Verbose -Debug
            Get-NcpKmsKey -Verbose -Debug | Select-Object -First 1
        }

        $text | Should -Match 'Credentials: '
        $text | Should -Match 'HTTP 200'
        $text | Should -Match 'NcpKms.InvalidKeyState|Invalid status'
        $text | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'never writes a wrong secret key into an authentication error' {
        $text = Get-AllStreamText {
            try {
                Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $wrongSecret) -Verbose -Debug
            }
            catch { $_ }
            $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $wrongSecret) -SkipValidation -PassThru
            Get-NcpKmsKey -Context $context -Verbose -Debug -ErrorAction Continue
        }

        $text | Should -Match 'NcpKms.AuthenticationFailed|Authentication Failed'
        $text | Should -Not -Match ([regex]::Escape($wrongSecret))
    }

    It 'keeps the secret key out of a transcript' {
        $transcript = Join-Path $env:HOME 'transcript.txt'
        $env:NCLOUD_SECRET_ACCESS_KEY = $null
        Start-Transcript -Path $transcript
        try {
            Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $secret) -PassThru -Verbose -Debug | Format-List *
            Get-NcpKmsKey -Verbose -Debug | Format-Table
            Get-NcpKmsContext | Format-List *
        }
        finally { Stop-Transcript }

        $content = Get-Content $transcript -Raw
        $content | Should -Match ([regex]::Escape($emulator.Endpoint))
        $content | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'offers no public member that returns the secret key' {
        $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $secret) -SkipValidation -PassThru

        foreach ($property in $context.PSObject.Properties) {
            "$($property.Value)" | Should -Not -Match ([regex]::Escape($secret))
        }
        $context.PSObject.Properties.Name | Should -Be @('AccessKey', 'Endpoint', 'EndpointSource', 'CredentialSource', 'MaxRetries', 'TimeoutSec', 'Proxy', 'ProfileName')
    }
}
