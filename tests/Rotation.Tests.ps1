BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
}

AfterAll {
    Complete-TestSession
}

Describe 'Invoke-NcpKmsKeyRotation' {
    BeforeAll {
        $emulator = Start-NcpKmsEmulator
        Connect-TestEmulator $emulator
    }

    AfterAll {
        Stop-NcpKmsEmulator -Emulator $emulator
    }

    It 'rotates one key and reports the new version' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rotateone' -VersionCount 3

        $rotation = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $rotation.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyRotation'
        $rotation.KeyTag | Should -Be $key.KeyTag
        $rotation.Version | Should -BeOfType [int]
        $rotation.Version | Should -Be 4
        (Get-NcpKmsKey -KeyTag $key.KeyTag).CurrentVersion | Should -Be 4
    }

    It 'reports RotatedDate as a UTC DateTime exact to the millisecond of the API value' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rotatems'

        $rotation = Invoke-NcpKmsKeyRotation $key.KeyTag

        $raw = Invoke-RawKms -Emulator $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions"
        $epochMs = ($raw.Json.data.versionList | Where-Object version -EQ $rotation.Version).rotatedDate
        $rotation.RotatedDate | Should -BeOfType [datetime]
        $rotation.RotatedDate.Kind | Should -Be ([DateTimeKind]::Utc)
        ([DateTimeOffset]$rotation.RotatedDate).ToUnixTimeMilliseconds() | Should -Be $epochMs
        $rotation.RotatedDate.Ticks % [TimeSpan]::TicksPerMillisecond | Should -Be 0
    }

    It 'takes the key tag by position' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'positional'

        (Invoke-NcpKmsKeyRotation $key.KeyTag).Version | Should -Be 2
    }

    It 'rotates every key tag piped as a string, in order' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'piped' -Count 3

        $rotations = $keys.KeyTag | Invoke-NcpKmsKeyRotation

        $rotations.KeyTag | Should -Be $keys.KeyTag
        $rotations.Version | Should -Be @(2, 2, 2)
    }

    It 'passes rotations on by KeyTag to the next cmdlet' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'pipeon'

        $versions = Invoke-NcpKmsKeyRotation $key.KeyTag | Get-NcpKmsKeyVersion

        $versions.Version | Should -Be @(1, 2)
        ($versions | Where-Object IsCurrent).Version | Should -Be 2
    }

    It 'converts to JSON with exactly KeyTag, Version and RotatedDate' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'jsonkey'

        $json = Invoke-NcpKmsKeyRotation $key.KeyTag | ConvertTo-Json | ConvertFrom-Json

        $json.PSObject.Properties.Name | Should -Be @('KeyTag', 'Version', 'RotatedDate')
        $json.KeyTag | Should -Be $key.KeyTag
        $json.Version | Should -Be 2
    }

    It 'sends no request under -WhatIf, for one key or many' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'whatif' -Count 5
        $before = Get-RequestCount $emulator

        $output = $keys.KeyTag | Invoke-NcpKmsKeyRotation -WhatIf
        Invoke-NcpKmsKeyRotation -KeyTag $keys[0].KeyTag -WhatIf

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
        (Get-NcpKmsKey -KeyTag $keys.KeyTag).CurrentVersion | Should -Be @(1, 1, 1, 1, 1)
    }

    It 'names the key tag as the ShouldProcess target' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'target'

        # -WhatIf writes to the host, not to a stream: a transcript sees it.
        $transcript = Join-Path $env:HOME 'whatif.txt'
        Start-Transcript -Path $transcript
        try { Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag -WhatIf }
        finally { Stop-Transcript }
        $text = Get-Content $transcript -Raw

        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
    }

    It 'does not prompt by default (ConfirmImpact Medium) and rotates with -Confirm:$false' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'noprompt'
        $command = Get-Command Invoke-NcpKmsKeyRotation
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
        (Invoke-NcpKmsKeyRotation $key.KeyTag -Confirm:$false).Version | Should -Be 2
    }

    It 'rejects an empty or malformed key tag before any request' -ForEach @(
        @{ Tag = '' }, @{ Tag = ' ' }, @{ Tag = 'has space' }, @{ Tag = 'a/b' }, @{ Tag = '../keys' }, @{ Tag = 'tag?x=1' }, @{ Tag = ('k' * 129) }
    ) {
        $before = Get-RequestCount $emulator

        $result = Invoke-NcpKmsKeyRotation -KeyTag $Tag -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match '-KeyTag'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'goes on with the next key after a malformed one' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aftermalformed'

        $rotations = 'not/valid', $key.KeyTag | Invoke-NcpKmsKeyRotation -ErrorVariable failures -ErrorAction SilentlyContinue

        $rotations.KeyTag | Should -Be $key.KeyTag
        $failures.Count | Should -Be 1
    }
}

Describe 'Invoke-NcpKmsKeyRotation over more than one page of keys' {
    BeforeAll {
        $emulator = Start-NcpKmsEmulator -KeyCount 205
        Connect-TestEmulator $emulator
    }

    AfterAll {
        Stop-NcpKmsEmulator -Emulator $emulator
    }

    It 'rotates every key piped from Get-NcpKmsKey' {
        $before = Get-RequestCount $emulator

        $rotations = Get-NcpKmsKey | Invoke-NcpKmsKeyRotation

        $rotations.Count | Should -Be 205
        @($rotations.KeyTag | Select-Object -Unique).Count | Should -Be 205
        $rotations.Version | Sort-Object -Unique | Should -Be 2
        $requests = @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Select-Object -Skip $before)
        @($requests | Where-Object { $_.Method -eq 'GET' -and $_.Path -like '/kms/v1/keys?*' }).Count | Should -Be 2
        @($requests | Where-Object { $_.Method -eq 'POST' -and $_.Path -like '*/rotate' }).Count | Should -Be 205
        (Get-NcpKmsKey -KeyTag $rotations[204].KeyTag).CurrentVersion | Should -Be 2
    }
}
