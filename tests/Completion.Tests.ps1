BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    $alphaKey = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'alphakey'
    $betaKey = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'betakey'

    function Get-Completion([string] $InputScript) {
        (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Key tag completion' {
    BeforeEach {
        Disconnect-NcpKms
        foreach ($name in 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_KMS_ENDPOINT') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    It 'completes -KeyTag of <Command> with the key tags of the session, the key name in the tooltip' -ForEach @(
        @{ Command = 'Invoke-NcpKmsKeyRotation' }, @{ Command = 'Get-NcpKmsKeyVersion' }, @{ Command = 'Get-NcpKmsKey' }
    ) {
        Connect-TestEmulator $emulator

        $completions = Get-Completion "$Command -KeyTag "

        $completions.CompletionText | Should -Contain $alphaKey.KeyTag
        $completions.CompletionText | Should -Contain $betaKey.KeyTag
        ($completions | Where-Object CompletionText -EQ $alphaKey.KeyTag).ToolTip | Should -Match 'alphakey'
    }

    It 'completes a key name prefix to that key''s tag' {
        Connect-TestEmulator $emulator

        $completions = Get-Completion 'Invoke-NcpKmsKeyRotation -KeyTag beta'

        $completions.CompletionText | Should -Be $betaKey.KeyTag
    }

    It 'completes a key tag prefix' {
        Connect-TestEmulator $emulator
        $prefix = $alphaKey.KeyTag.Substring(0, 12)

        (Get-Completion "Get-NcpKmsKeyVersion -KeyTag $prefix").CompletionText | Should -Be $alphaKey.KeyTag
    }

    It 'lists keys once for many keystrokes' {
        Connect-TestEmulator $emulator
        $null = Get-Completion 'Get-NcpKmsKeyVersion -KeyTag '
        $before = Get-RequestCount $emulator

        $null = Get-Completion 'Get-NcpKmsKeyVersion -KeyTag a'
        $null = Get-Completion 'Get-NcpKmsKeyVersion -KeyTag b'

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'uses the -Context already typed on the command line' {
        $other = Start-NcpKmsEmulator
        $otherKey = Add-NcpKmsEmulatorKey -Emulator $other -Name 'otherkey'
        $global:NcpKmsTestContext = Connect-TestEmulator $other -PassThru
        Disconnect-NcpKms

        $completions = Get-Completion 'Get-NcpKmsKeyVersion -Context $NcpKmsTestContext -KeyTag '

        $completions.CompletionText | Should -Be $otherKey.KeyTag
        Stop-NcpKmsEmulator -Emulator $other
        Remove-Variable NcpKmsTestContext -Scope Global
    }

    It 'completes from environment-variable credentials without Connect-NcpKms' {
        $env:NCLOUD_ACCESS_KEY_ID = $emulator.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $emulator.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint

        (Get-Completion 'Get-NcpKmsKeyVersion -KeyTag alpha').CompletionText | Should -Be $alphaKey.KeyTag
    }

    It 'offers nothing, and no error, when no credentials resolve' {
        $completions = Get-Completion 'Get-NcpKmsKeyVersion -KeyTag '

        $completions.CompletionText | Should -Not -Contain $alphaKey.KeyTag
    }

    It 'gives up within about a second when the service does not answer' {
        # A listener that accepts connections and never answers.
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        try {
            Connect-NcpKms -Endpoint "http://127.0.0.1:$($silent.LocalEndpoint.Port)" -AccessKey 'SILENT' -SecretKey (ConvertTo-TestSecureString 'x') -SkipValidation

            $elapsed = Measure-Command { $script:completions = Get-Completion 'Get-NcpKmsKeyVersion -KeyTag ' }

            $elapsed.TotalSeconds | Should -BeLessThan 3
            $completions.CompletionText | Should -Not -Contain $alphaKey.KeyTag
        }
        finally { $silent.Stop() }
    }
}

Describe 'Value completion' {
    It 'completes -<Parameter> of Connect-NcpKms with its values' -ForEach @(
        @{ Parameter = 'Site'; Values = @('Gov', 'Public') }
        @{ Parameter = 'Region'; Values = @('Global', 'JP', 'KR') }
    ) {
        (Get-Completion "Connect-NcpKms -$Parameter ").CompletionText | Sort-Object | Should -Be $Values
    }

    It 'completes <Command> -<Parameter> with its values' -ForEach @(
        @{ Command = 'New-NcpKmsKey'; Parameter = 'KeyType'; Values = @('AES256', 'ECDSA', 'RSA2048') }
        @{ Command = 'New-NcpKmsKey'; Parameter = 'ProtectionType'; Values = @('BASIC', 'COMMON_HSM') }
        @{ Command = 'New-NcpKmsDataKey'; Parameter = 'Bits'; Values = @('128', '256', '512') }
        @{ Command = 'Move-NcpKmsKey'; Parameter = 'TargetRegion'; Values = @('JP', 'KR') }
        @{ Command = 'Protect-NcpKmsData'; Parameter = 'Encoding'; Values = @('ascii', 'bigendianunicode', 'latin1', 'unicode', 'utf32', 'utf8', 'utf8NoBOM') }
    ) {
        (Get-Completion "$Command -$Parameter ").CompletionText | Sort-Object | Should -Be ($Values | Sort-Object)
    }
}
