BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator
}

AfterAll {
    Complete-TestSession
}

Describe 'A key''s life through the module alone' {
    It 'creates, encrypts, rotates, decrypts the old ciphertext and re-encrypts it under the new version' {
        $key = New-NcpKmsKey -Name 'lifecycle' -KeyType AES256

        $old = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext '비밀 data'
        $rotation = $key | Invoke-NcpKmsKeyRotation
        $plain = $old | Unprotect-NcpKmsData -AsPlainText
        $new = $old | Update-NcpKmsCiphertext

        $old.KeyVersion | Should -Be 1
        $rotation.Version | Should -Be 2
        $plain | Should -Be '비밀 data'
        $new.KeyVersion | Should -Be 2
        $new.Ciphertext | Should -BeLike 'ncpkms:v2:*'
        $new | Unprotect-NcpKmsData -AsPlainText | Should -Be '비밀 data'
    }

    It 'disables, refuses to encrypt, enables, schedules deletion, cancels it, and purges' {
        $key = New-NcpKmsKey -Name 'lifeend' -KeyType AES256

        $key | Disable-NcpKmsKey | Select-Object -ExpandProperty Status | Should -Be 'DISABLE'
        Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'x' -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        ($key | Enable-NcpKmsKey).Status | Should -Be 'ENABLE'
        ($key | Remove-NcpKmsKey -Force).Status | Should -Be 'REVOKE'
        ($key | Undo-NcpKmsKeyRemoval).Status | Should -Be 'DISABLE'
        $null = $key | Remove-NcpKmsKey -Force
        $key | Remove-NcpKmsKey -Purge -Force

        Get-NcpKmsKey -KeyTag $key.KeyTag -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
    }

    It 'issues tokens, encrypts with the access token alone, renews them, and loses them when the generator is replaced' {
        $key = New-NcpKmsKey -Name 'tokenlife' -KeyType AES256
        $null = New-NcpKmsTokenGenerator -KeyTag $key.KeyTag
        $set = New-NcpKmsToken -KeyTag $key.KeyTag -AccessTokenHours 1
        Disconnect-NcpKms
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint
        $before = Get-RequestCount $emulator

        $sealed = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'by token' -Token $set.AccessToken
        $renewed = Update-NcpKmsToken -KeyTag $key.KeyTag -Token $set.RefreshToken
        $opened = Unprotect-NcpKmsData -KeyTag $key.KeyTag -Ciphertext $sealed.Ciphertext -Token $renewed.AccessToken -AsPlainText

        $opened | Should -Be 'by token'
        $byToken = @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Select-Object -Skip $before)
        $byToken.Count | Should -Be 3
        $byToken.AccessKey | Where-Object { $_ } | Should -BeNullOrEmpty

        Connect-TestEmulator $emulator
        $null = Reset-NcpKmsTokenGenerator -KeyTag $key.KeyTag -Force
        Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'x' -Token $renewed.AccessToken -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
        $env:NCLOUD_KMS_ENDPOINT = $null
    }

    It 'sends nothing at all under -WhatIf, however many state changes are piped' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'whatifall' -Count 3
        $before = Get-RequestCount $emulator

        $keys | Disable-NcpKmsKey -WhatIf
        $keys | Remove-NcpKmsKey -Force -WhatIf
        $keys | Move-NcpKmsKey -TargetRegion KR -Force -WhatIf
        $keys | Set-NcpKmsKeyRotationPolicy -AutoRotation $true -PeriodDays 30 -WhatIf
        $keys | New-NcpKmsTokenGenerator -WhatIf
        $keys | Add-NcpKmsKeyAclRule -IpAddress 10.0.0.1 -WhatIf
        New-NcpKmsKey -Name 'whatifnew' -KeyType AES256 -WhatIf

        Get-RequestCount $emulator | Should -Be $before
    }
}
