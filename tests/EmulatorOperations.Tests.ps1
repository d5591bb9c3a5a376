#Requires -Version 7.4
# The operations of the emulator beyond list/create/info/versions/rotate, over raw HTTP with the independent
# signer of Common.ps1: key management, versions, migrate, real cryptography, tokens, IP ACL and the activity
# log. Each Describe covers one feature; every rule the emulator enforces has a test that fails without it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Initialize-TestSession

    function Get-Fields($Response) { @($Response.Json.data.PSObject.Properties.Name) }

    function Get-NowMs { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }

    function ConvertTo-Base64Text([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }

    function New-RandomBase64([int] $Count) { [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes($Count)) }

    # The bytes after the ncpkms:v{N}: prefix.
    function Get-Payload([string] $Value) { [Convert]::FromBase64String(($Value -split ':', 3)[2]) }

    function Protect-Text($Key, [string] $Plaintext, [hashtable] $Extra = @{}) {
        $r = Invoke-Key $Key encrypt -Data (@{ plaintext = $Plaintext } + $Extra)
        $r.StatusCode | Should -Be 200 -Because $r.Content
        $r.Json.data.ciphertext
    }

    function Get-KeyStatus($Key) { (Invoke-Key $Key -Method GET).Json.data.status }

    # Creates a token generator for the key and returns a token set made with -Data.
    function New-TokenSet($Key, [hashtable] $Data = @{}, $Emulator = $script:emulator) {
        $null = Invoke-Key $Key token-generator -Emulator $Emulator
        (Invoke-Key $Key token-set -Data $Data -Emulator $Emulator).Json.data
    }

    function Read-TokenPart([string] $Token, [int] $Index) {
        $part = $Token.Split('.')[$Index].Replace('-', '+').Replace('_', '/')
        $part += '=' * ((4 - $part.Length % 4) % 4)
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($part)) | ConvertFrom-Json
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Delete Key' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'deletes a REVOKE key at once with data null, after which it is not found' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status REVOKE
        $r = Invoke-Key $key -Method DELETE
        $r.StatusCode | Should -Be 200
        $r.Content | Should -BeExactly '{"code":"SUCCESS","data":null}'
        Assert-KmsError (Invoke-Key $key -Method GET) 404 'NOT_FOUND' 'Not found'
        @((Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList.keyTag) | Should -Not -Contain $key.KeyTag
    }

    It 'refuses a <Status> key with 422 and keeps it' -TestCases @(
        @{ Status = 'ENABLE' }
        @{ Status = 'DISABLE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status $Status
        Assert-KmsError (Invoke-Key $key -Method DELETE) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Get-KeyStatus $key | Should -Be $Status
    }

    It 'answers an unknown key with 404 NOT_FOUND' {
        Assert-KmsError (Invoke-Key ('q' * 64) -Method DELETE) 404 'NOT_FOUND' 'Not found'
    }
}

Describe 'Update Key Name' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'first-name'
        $null = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'taken-name'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'renames the key and answers keyTag and keyName; the tag stays' {
        $r = Invoke-Key $key name -Method PUT -Data @{ keyName = 'second-name' }
        Get-Fields $r | Should -Be @('keyTag', 'keyName')
        $r.Json.data.keyTag | Should -Be $key.KeyTag
        $r.Json.data.keyName | Should -Be 'second-name'
        (Invoke-Key $key -Method GET).Json.data.keyName | Should -Be 'second-name'
    }

    It 'frees the old name for another key' {
        { Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'first-name' } | Should -Not -Throw
    }

    It 'accepts the name the key already has' {
        (Invoke-Key $key name -Method PUT -Data @{ keyName = 'second-name' }).StatusCode | Should -Be 200
    }

    It 'refuses a name another key has with 400 INVALID_REQUEST' {
        Assert-KmsError (Invoke-Key $key name -Method PUT -Data @{ keyName = 'taken-name' }) 400 'INVALID_REQUEST' 'Invalid request'
        (Invoke-Key $key -Method GET).Json.data.keyName | Should -Be 'second-name'
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'a 2-character name'; Body = '{"keyName":"ab"}' }
        @{ Case = 'a 16-character name'; Body = '{"keyName":"abcdefghijklmnop"}' }
        @{ Case = 'a name starting with a digit'; Body = '{"keyName":"1key"}' }
        @{ Case = 'a missing keyName'; Body = '{}' }
        @{ Case = 'a numeric keyName'; Body = '{"keyName":12345}' }
    ) {
        Assert-KmsError (Invoke-Key $key name -Method PUT -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Update Memo' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Memo 'old memo'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'sets the memo and answers keyTag and memo' {
        $r = Invoke-Key $key memo -Method PUT -Data @{ memo = 'm' * 100 }
        Get-Fields $r | Should -Be @('keyTag', 'memo')
        $r.Json.data.memo | Should -Be ('m' * 100)
        (Invoke-Key $key -Method GET).Json.data.memo | Should -Be ('m' * 100)
    }

    It 'clears the memo with an empty string' {
        (Invoke-Key $key memo -Method PUT -Data @{ memo = '' }).Json.data.memo | Should -BeExactly ''
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'a 101-character memo'; Body = '{"memo":"' + ('m' * 101) + '"}' }
        @{ Case = 'a missing memo'; Body = '{}' }
        @{ Case = 'a numeric memo'; Body = '{"memo":5}' }
    ) {
        Assert-KmsError (Invoke-Key $key memo -Method PUT -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Key status transitions' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It '<Operation> moves a <From> key to <To> and answers keyTag, status and statusDate' -TestCases @(
        @{ Operation = 'disable'; From = 'ENABLE'; To = 'DISABLE' }
        @{ Operation = 'enable'; From = 'DISABLE'; To = 'ENABLE' }
        @{ Operation = 'request-deletion'; From = 'ENABLE'; To = 'REVOKE' }
        @{ Operation = 'request-deletion'; From = 'DISABLE'; To = 'REVOKE' }
        @{ Operation = 'cancel-deletion'; From = 'REVOKE'; To = 'DISABLE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status $From
        $before = Get-NowMs
        $r = Invoke-Key $key $Operation
        $r.StatusCode | Should -Be 200
        Get-Fields $r | Should -Be @('keyTag', 'status', 'statusDate')
        $r.Json.data.keyTag | Should -Be $key.KeyTag
        $r.Json.data.status | Should -Be $To
        $r.Json.data.statusDate | Should -BeGreaterOrEqual $before
        Get-KeyStatus $key | Should -Be $To
    }

    It 'refuses <Operation> on a <From> key with 422 and leaves it <From>' -TestCases @(
        @{ Operation = 'enable'; From = 'ENABLE' }
        @{ Operation = 'enable'; From = 'REVOKE' }
        @{ Operation = 'disable'; From = 'DISABLE' }
        @{ Operation = 'disable'; From = 'REVOKE' }
        @{ Operation = 'request-deletion'; From = 'REVOKE' }
        @{ Operation = 'cancel-deletion'; From = 'ENABLE' }
        @{ Operation = 'cancel-deletion'; From = 'DISABLE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status $From
        Assert-KmsError (Invoke-Key $key $Operation) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Get-KeyStatus $key | Should -Be $From
    }

    It 'sets destroyDate 72 hours after the deletion request, and clears it on cancel' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $requested = (Invoke-Key $key request-deletion).Json.data.statusDate
        (Invoke-Key $key -Method GET).Json.data.destroyDate | Should -Be ($requested + 72 * 3600 * 1000)
        $null = Invoke-Key $key cancel-deletion
        $info = Invoke-Key $key -Method GET
        $info.Json.data.destroyDate | Should -BeNullOrEmpty
        $info.Content | Should -Match '"destroyDate":null'
    }

    It 'refuses rotation and encryption on a disabled key with 422, and allows them again once enabled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key disable
        Assert-KmsError (Invoke-Key $key rotate) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Assert-KmsError (Invoke-Key $key encrypt -Data @{ plaintext = 'dGVzdA==' }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        $null = Invoke-Key $key enable
        (Invoke-Key $key rotate).StatusCode | Should -Be 200
        (Invoke-Key $key encrypt -Data @{ plaintext = 'dGVzdA==' }).StatusCode | Should -Be 200
    }
}

Describe 'Automatic deletion after 72 hours in REVOKE' {
    BeforeEach { $script:emulator = Start-NcpKmsEmulator }
    AfterEach { Stop-NcpKmsEmulator $emulator }

    It 'keeps a REVOKE key until its destroyDate passes on the emulator clock, then deletes it' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'doomed'
        $null = Invoke-Key $key request-deletion
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Hours 71)
        Get-KeyStatus $key | Should -Be 'REVOKE'
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Hours 2)
        Assert-KmsError (Invoke-Key $key -Method GET) 404 'NOT_FOUND' 'Not found'
        @((Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList).Count | Should -Be 0
        (Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'doomed').KeyName | Should -Be 'doomed' -Because 'the name is free again'
    }

    It 'keeps a key whose deletion was cancelled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status REVOKE
        $null = Invoke-Key $key cancel-deletion
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Hours 100)
        Get-KeyStatus $key | Should -Be 'DISABLE'
    }
}

Describe 'Automatic rotation settings' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'enables auto rotation, answering keyTag, isAutoRotation, rotationPeriod and nextRotationDate (now + period)' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $before = Get-NowMs
        $r = Invoke-Key $key enable-auto-rotation
        Get-Fields $r | Should -Be @('keyTag', 'isAutoRotation', 'rotationPeriod', 'nextRotationDate')
        $r.Json.data.isAutoRotation | Should -BeTrue
        $r.Json.data.rotationPeriod | Should -Be 90
        $r.Json.data.nextRotationDate | Should -BeGreaterOrEqual ($before + 90 * 86400000)
        $r.Json.data.nextRotationDate | Should -BeLessOrEqual ((Get-NowMs) + 90 * 86400000)
        (Invoke-Key $key -Method GET).Json.data.isAutoRotation | Should -BeTrue
    }

    It 'disables auto rotation, answering keyTag and isAutoRotation false; Key Info shows no next rotation' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -AutoRotationPeriodDays 30
        $r = Invoke-Key $key disable-auto-rotation
        Get-Fields $r | Should -Be @('keyTag', 'isAutoRotation')
        $r.Json.data.isAutoRotation | Should -BeFalse
        $info = (Invoke-Key $key -Method GET).Json.data
        $info.isAutoRotation | Should -BeFalse
        $info.nextRotationDate | Should -BeNullOrEmpty
    }

    It 'sets a rotation period of <Days> days, with nextRotationDate that far from now' -TestCases @(
        @{ Days = 1 }
        @{ Days = 730 }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -AutoRotationPeriodDays 90
        $before = Get-NowMs
        $r = Invoke-Key $key rotation-period -Method PUT -Data @{ rotationPeriod = $Days }
        Get-Fields $r | Should -Be @('keyTag', 'rotationPeriod', 'nextRotationDate')
        $r.Json.data.rotationPeriod | Should -Be $Days
        $r.Json.data.nextRotationDate | Should -BeGreaterOrEqual ($before + $Days * 86400000)
        $r.Json.data.nextRotationDate | Should -BeLessOrEqual ((Get-NowMs) + $Days * 86400000)
        (Invoke-Key $key -Method GET).Json.data.rotationPeriod | Should -Be $Days
    }

    It 'refuses a rotation period of <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = '0'; Body = '{"rotationPeriod":0}' }
        @{ Case = '731'; Body = '{"rotationPeriod":731}' }
        @{ Case = 'a string'; Body = '{"rotationPeriod":"30"}' }
        @{ Case = 'a fraction'; Body = '{"rotationPeriod":1.5}' }
        @{ Case = 'nothing'; Body = '{}' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -AutoRotationPeriodDays 90
        Assert-KmsError (Invoke-Key $key rotation-period -Method PUT -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'refuses a rotation period change while auto rotation is off with 422' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $key rotation-period -Method PUT -Data @{ rotationPeriod = 30 }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }
}

Describe 'Enable and disable key versions' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'disables and re-enables a non-current version, answering version, status and statusDate' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 3
        $before = Get-NowMs
        $r = Invoke-Key $key versions/2/disable
        Get-Fields $r | Should -Be @('version', 'status', 'statusDate')
        $r.Json.data.version | Should -Be 2
        $r.Json.data.status | Should -Be 'DISABLE'
        $r.Json.data.statusDate | Should -BeGreaterOrEqual $before
        (Invoke-Key $key versions -Method GET).Json.data.versionList.status | Should -Be @('ENABLE', 'DISABLE', 'ENABLE')
        (Invoke-Key $key versions/2/enable).Json.data.status | Should -Be 'ENABLE'
        (Invoke-Key $key versions -Method GET).Json.data.versionList.status | Should -Be @('ENABLE', 'ENABLE', 'ENABLE')
    }

    It 'refuses to disable the current version with 422' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 3
        Assert-KmsError (Invoke-Key $key versions/3/disable) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'refuses <Operation> while the key is <Status> with 422' -TestCases @(
        @{ Operation = 'disable'; Status = 'DISABLE' }
        @{ Operation = 'enable'; Status = 'DISABLE' }
        @{ Operation = 'disable'; Status = 'REVOKE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 2 -Status $Status
        Assert-KmsError (Invoke-Key $key "versions/1/$Operation") 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'refuses a version already in the target state with 422' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 2
        Assert-KmsError (Invoke-Key $key versions/1/enable) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'answers a version the key does not have with 404 NOT_FOUND' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 3
        Assert-KmsError (Invoke-Key $key versions/4/disable) 404 'NOT_FOUND' 'Not found'
    }

    It 'refuses the path version <Version> with 400 INVALID_REQUEST' -TestCases @(
        @{ Version = '0' }
        @{ Version = '101' }
        @{ Version = 'abc' }
        @{ Version = '-1' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $key "versions/$Version/disable") 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Migrate Key' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'migrates a key to <Region>, answers keyTag and targetRegion, and the key leaves this (global) emulator' -TestCases @(
        @{ Region = 'KR' }
        @{ Region = 'JP' }
        @{ Region = 'JPN' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $r = Invoke-Key $key migrate -Data @{ targetRegion = $Region }
        Get-Fields $r | Should -Be @('keyTag', 'targetRegion')
        $r.Json.data.keyTag | Should -Be $key.KeyTag
        $r.Json.data.targetRegion | Should -Be $Region
        Assert-KmsError (Invoke-Key $key -Method GET) 404 'NOT_FOUND' 'Not found'
        @((Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList.keyTag) | Should -Not -Contain $key.KeyTag
    }

    It 'refuses <Case> with 400 and keeps the key' -TestCases @(
        @{ Case = 'a lower-case region'; Body = '{"targetRegion":"kr"}' }
        @{ Case = 'another region'; Body = '{"targetRegion":"US"}' }
        @{ Case = 'no targetRegion'; Body = '{}' }
        @{ Case = 'a numeric targetRegion'; Body = '{"targetRegion":5}' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $key migrate -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
        Get-KeyStatus $key | Should -Be 'ENABLE'
    }
}

Describe 'Encrypt and Decrypt with an AES256 key' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aes-key'
        $script:plain = ConvertTo-Base64Text 'hello, kms'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'encrypts a String into one ncpkms:v1: String of nonce, ciphertext and tag, and decrypts it back' {
        $r = Invoke-Key $key encrypt -Data @{ plaintext = $plain }
        Get-Fields $r | Should -Be @('ciphertext')
        $r.Json.data.ciphertext | Should -BeOfType [string]
        $r.Json.data.ciphertext | Should -MatchExactly '^ncpkms:v1:[A-Za-z0-9+/]+={0,2}$'
        (Get-Payload $r.Json.data.ciphertext).Length | Should -Be (12 + 10 + 16)
        $d = Invoke-Key $key decrypt -Data @{ ciphertext = $r.Json.data.ciphertext }
        Get-Fields $d | Should -Be @('plaintext')
        $d.Json.data.plaintext | Should -BeOfType [string]
        $d.Json.data.plaintext | Should -BeExactly $plain
    }

    It 'uses a fresh random nonce, so the same plaintext encrypts differently each time' {
        $a = Protect-Text $key $plain
        $b = Protect-Text $key $plain
        $a | Should -Not -Be $b
        (Get-Payload $a)[0..11] | Should -Not -Be (Get-Payload $b)[0..11]
    }

    It 'answers an Array with an Array in the same order, for <Count> item(s)' -TestCases @(
        @{ Count = 1 }
        @{ Count = 3 }
    ) {
        $items = @(1..$Count | ForEach-Object { ConvertTo-Base64Text "item $_" })
        $r = Invoke-Key $key encrypt -Data @{ plaintext = $items }
        $r.Content | Should -Match '"ciphertext":\['
        @($r.Json.data.ciphertext).Count | Should -Be $Count
        $d = Invoke-Key $key decrypt -Data @{ ciphertext = @($r.Json.data.ciphertext) }
        $d.Content | Should -Match '"plaintext":\['
        @($d.Json.data.plaintext) | Should -Be $items
    }

    It 'accepts <Case>' -TestCases @(
        @{ Case = 'exactly 32 KB of plaintext'; Sizes = @(32768) }
        @{ Case = 'a list of 32 KB in total'; Sizes = @(16384, 16384) }
    ) {
        $r = Invoke-Key $key encrypt -Data @{ plaintext = @($Sizes | ForEach-Object { New-RandomBase64 $_ }) }
        $r.StatusCode | Should -Be 200
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'one byte over 32 KB'; Body = { @{ plaintext = New-RandomBase64 32769 } } }
        @{ Case = 'a list one byte over 32 KB in total'; Body = { @{ plaintext = @((New-RandomBase64 16384), (New-RandomBase64 16385)) } } }
        @{ Case = 'no plaintext'; Body = { '{}' } }
        @{ Case = 'a numeric plaintext'; Body = { '{"plaintext":5}' } }
        @{ Case = 'an empty list'; Body = { '{"plaintext":[]}' } }
        @{ Case = 'a list holding a number'; Body = { '{"plaintext":["dGVzdA==",5]}' } }
        @{ Case = 'a plaintext that is not Base64'; Body = { @{ plaintext = 'not base64!' } } }
        @{ Case = 'an empty plaintext'; Body = { @{ plaintext = '' } } }
        @{ Case = 'a context that is not Base64'; Body = { @{ plaintext = 'dGVzdA=='; context = '***' } } }
        @{ Case = 'a 51-byte context'; Body = { @{ plaintext = 'dGVzdA=='; context = New-RandomBase64 51 } } }
        @{ Case = 'a body that is not JSON'; Body = { 'plaintext=dGVzdA==' } }
    ) {
        Assert-KmsError (Invoke-Key $key encrypt -Data (& $Body)) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'binds a given context: it decrypts with the same context only' {
        $context = New-RandomBase64 50
        $ciphertext = Protect-Text $key $plain -Extra @{ context = $context }
        (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext; context = $context }).Json.data.plaintext | Should -Be $plain
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext; context = (ConvertTo-Base64Text 'other') }) 400 'INVALID_REQUEST' 'Invalid request'
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'fails to decrypt a ciphertext whose bytes were changed, with 400' {
        $bytes = Get-Payload (Protect-Text $key $plain)
        $bytes[14] = $bytes[14] -bxor 1
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = 'ncpkms:v1:' + [Convert]::ToBase64String($bytes) }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'refuses a ciphertext whose prefix <Case> with 400' -TestCases @(
        @{ Case = 'is missing'; Edit = { param($c) $c.Substring(10) } }
        @{ Case = 'pads the version with a zero'; Edit = { param($c) $c.Replace('ncpkms:v1:', 'ncpkms:v01:') } }
        @{ Case = 'has an upper-case V'; Edit = { param($c) $c.Replace('ncpkms:v1:', 'ncpkms:V1:') } }
        @{ Case = 'names another service'; Edit = { param($c) $c.Replace('ncpkms:', 'kms:') } }
    ) {
        $ciphertext = & $Edit (Protect-Text $key $plain)
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'answers a ciphertext naming a version the key does not have with 404' {
        $ciphertext = (Protect-Text $key $plain).Replace('ncpkms:v1:', 'ncpkms:v9:')
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext }) 404 'NOT_FOUND' 'Not found'
    }

    It 'refuses to decrypt with a <Status> key with 422' -TestCases @(
        @{ Status = 'DISABLE'; Operation = 'disable' }
        @{ Status = 'REVOKE'; Operation = 'request-deletion' }
    ) {
        $other = Add-NcpKmsEmulatorKey -Emulator $emulator
        $ciphertext = Protect-Text $other $plain
        $null = Invoke-Key $other $Operation
        Assert-KmsError (Invoke-Key $other decrypt -Data @{ ciphertext = $ciphertext }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Assert-KmsError (Invoke-Key $other encrypt -Data @{ plaintext = $plain }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'cannot decrypt a ciphertext of another key' {
        $other = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $other decrypt -Data @{ ciphertext = (Protect-Text $key $plain) }) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Round trip across a rotation' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:plain = ConvertTo-Base64Text 'rotate me'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'decrypts a v1 ciphertext after rotation; re-encrypt names v2 and decrypts; encrypt now uses v2' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $old = Protect-Text $key $plain
        $old | Should -Match '^ncpkms:v1:'
        (Invoke-Key $key rotate).Json.data.version | Should -Be 2
        (Invoke-Key $key decrypt -Data @{ ciphertext = $old }).Json.data.plaintext | Should -Be $plain
        $r = Invoke-Key $key re-encrypt -Data @{ ciphertext = $old }
        Get-Fields $r | Should -Be @('newCiphertext')
        $r.Json.data.newCiphertext | Should -BeOfType [string]
        $r.Json.data.newCiphertext | Should -Match '^ncpkms:v2:'
        (Invoke-Key $key decrypt -Data @{ ciphertext = $r.Json.data.newCiphertext }).Json.data.plaintext | Should -Be $plain
        Protect-Text $key $plain | Should -Match '^ncpkms:v2:'
    }

    It 're-encrypts an Array into an Array under the current version' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 2
        $ciphertexts = @((Protect-Text $key $plain), (Protect-Text $key (ConvertTo-Base64Text 'two')))
        $null = Invoke-Key $key rotate
        $r = Invoke-Key $key re-encrypt -Data @{ ciphertext = $ciphertexts }
        $r.Content | Should -Match '"newCiphertext":\['
        @($r.Json.data.newCiphertext) | ForEach-Object { $_ | Should -Match '^ncpkms:v3:' }
        @((Invoke-Key $key decrypt -Data @{ ciphertext = @($r.Json.data.newCiphertext) }).Json.data.plaintext) | Should -Be @($plain, (ConvertTo-Base64Text 'two'))
    }

    It 'fails when the prefix of a v1 ciphertext is changed to v2, with 400' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $old = Protect-Text $key $plain
        $null = Invoke-Key $key rotate
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $old.Replace('ncpkms:v1:', 'ncpkms:v2:') }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'refuses decrypt and re-encrypt with a disabled version with 422, and works again once it is enabled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $old = Protect-Text $key $plain
        $null = Invoke-Key $key rotate
        $null = Invoke-Key $key versions/1/disable
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $old }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Assert-KmsError (Invoke-Key $key re-encrypt -Data @{ ciphertext = $old }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        $null = Invoke-Key $key versions/1/enable
        (Invoke-Key $key decrypt -Data @{ ciphertext = $old }).Json.data.plaintext | Should -Be $plain
    }
}

Describe 'Encrypt and Decrypt with an RSA2048 key' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'encrypts into a 256-byte RSA ciphertext under ncpkms:v1: and decrypts it back' {
        $plain = New-RandomBase64 190
        $ciphertext = Protect-Text $key $plain
        $ciphertext | Should -Match '^ncpkms:v1:'
        (Get-Payload $ciphertext).Length | Should -Be 256
        (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext }).Json.data.plaintext | Should -Be $plain
    }

    It 'decrypts an RSA-OAEP-SHA256 ciphertext made with its public key' {
        $pem = (Invoke-Key $key get-pub-key).Json.data.publicKey
        $rsa = [System.Security.Cryptography.RSA]::Create()
        $rsa.ImportFromPem($pem)
        $bytes = [Text.Encoding]::UTF8.GetBytes('made outside')
        $outside = [Convert]::ToBase64String($rsa.Encrypt($bytes, [System.Security.Cryptography.RSAEncryptionPadding]::OaepSHA256))
        (Invoke-Key $key decrypt -Data @{ ciphertext = "ncpkms:v1:$outside" }).Json.data.plaintext | Should -Be ([Convert]::ToBase64String($bytes))
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'a 191-byte plaintext'; Sizes = @(191) }
        @{ Case = 'a list with one 191-byte item'; Sizes = @(10, 191) }
    ) {
        Assert-KmsError (Invoke-Key $key encrypt -Data @{ plaintext = @($Sizes | ForEach-Object { New-RandomBase64 $_ }) }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'limits each list item, not the list, to 190 bytes' {
        (Invoke-Key $key encrypt -Data @{ plaintext = @((New-RandomBase64 190), (New-RandomBase64 190)) }).StatusCode | Should -Be 200
    }
}

Describe 'Convergent keys' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Convergent
        $script:context = ConvertTo-Base64Text 'tenant-42'
        $script:plain = ConvertTo-Base64Text 'same every time'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'gives the same ciphertext for the same plaintext and context' {
        Protect-Text $key $plain -Extra @{ context = $context } | Should -BeExactly (Protect-Text $key $plain -Extra @{ context = $context })
    }

    It 'gives another ciphertext for another plaintext or another context' {
        $base = Protect-Text $key $plain -Extra @{ context = $context }
        Protect-Text $key (ConvertTo-Base64Text 'different') -Extra @{ context = $context } | Should -Not -Be $base
        Protect-Text $key $plain -Extra @{ context = (ConvertTo-Base64Text 'tenant-43') } | Should -Not -Be $base
    }

    It 'decrypts with the same context and refuses another context with 400' {
        $ciphertext = Protect-Text $key $plain -Extra @{ context = $context }
        (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext; context = $context }).Json.data.plaintext | Should -Be $plain
        Assert-KmsError (Invoke-Key $key decrypt -Data @{ ciphertext = $ciphertext; context = (ConvertTo-Base64Text 'tenant-43') }) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'requires a context on <Operation> with 400' -TestCases @(
        @{ Operation = 'encrypt'; Body = @{ plaintext = 'dGVzdA==' } }
        @{ Operation = 'decrypt'; Body = @{ ciphertext = 'ncpkms:v1:AAAA' } }
        @{ Operation = 're-encrypt'; Body = @{ ciphertext = 'ncpkms:v1:AAAA' } }
        @{ Operation = 'create-custom-key'; Body = @{ bits = 256 } }
    ) {
        Assert-KmsError (Invoke-Key $key $Operation -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
        (Get-NcpKmsEmulatorRequest $emulator)[-1].Detail | Should -Match 'context: required'
    }

    It 'stays deterministic under the new version after re-encrypt' {
        $old = Protect-Text $key $plain -Extra @{ context = $context }
        $null = Invoke-Key $key rotate
        $renewed = (Invoke-Key $key re-encrypt -Data @{ ciphertext = $old; context = $context }).Json.data.newCiphertext
        $renewed | Should -Match '^ncpkms:v2:'
        Protect-Text $key $plain -Extra @{ context = $context } | Should -BeExactly $renewed
    }
}

Describe 'Key types per operation' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:keys = @{
            AES256 = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType AES256
            ECDSA  = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA
        }
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'refuses <Operation> on an <KeyType> key with 400 INVALID_REQUEST' -TestCases @(
        @{ Operation = 'encrypt'; KeyType = 'ECDSA'; Body = @{ plaintext = 'dGVzdA==' } }
        @{ Operation = 'decrypt'; KeyType = 'ECDSA'; Body = @{ ciphertext = 'ncpkms:v1:AAAA' } }
        @{ Operation = 're-encrypt'; KeyType = 'ECDSA'; Body = @{ ciphertext = 'ncpkms:v1:AAAA' } }
        @{ Operation = 'create-custom-key'; KeyType = 'ECDSA'; Body = @{} }
        @{ Operation = 'sign'; KeyType = 'AES256'; Body = @{ data = 'dGVzdA==' } }
        @{ Operation = 'verify'; KeyType = 'AES256'; Body = @{ data = 'dGVzdA=='; signature = 'ncpkms:v1:AAAA' } }
        @{ Operation = 'get-pub-key'; KeyType = 'AES256'; Body = @{} }
    ) {
        Assert-KmsError (Invoke-Key $keys[$KeyType] $Operation -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
        (Get-NcpKmsEmulatorRequest $emulator)[-1].Detail | Should -Match "works on .* keys; this key is $KeyType"
    }
}

Describe 'Create Custom Key' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'makes a <Bits>-bit data key whose ciphertext decrypts to the returned plaintext' -TestCases @(
        @{ Bits = 128 }
        @{ Bits = 256 }
        @{ Bits = 512 }
    ) {
        $r = Invoke-Key $key create-custom-key -Data @{ requestPlainKey = $true; bits = $Bits }
        Get-Fields $r | Should -Be @('ciphertext', 'key_version', 'plaintext')
        $r.Json.data.key_version | Should -Be 1
        $r.Json.data.ciphertext | Should -Match '^ncpkms:v1:'
        [Convert]::FromBase64String($r.Json.data.plaintext).Length | Should -Be ($Bits / 8)
        (Invoke-Key $key decrypt -Data @{ ciphertext = $r.Json.data.ciphertext }).Json.data.plaintext | Should -Be $r.Json.data.plaintext
    }

    It 'makes a 256-bit key by default and returns the plaintext only when requestPlainKey is true' {
        $r = Invoke-Key $key create-custom-key -Data @{}
        Get-Fields $r | Should -Be @('ciphertext', 'key_version')
        $plain = (Invoke-Key $key decrypt -Data @{ ciphertext = $r.Json.data.ciphertext }).Json.data.plaintext
        [Convert]::FromBase64String($plain).Length | Should -Be 32
        Get-Fields (Invoke-Key $key create-custom-key) | Should -Be @('ciphertext', 'key_version') -Because 'the body is optional'
    }

    It 'wraps the data key under the current version' {
        $other = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 3
        $r = Invoke-Key $other create-custom-key -Data @{}
        $r.Json.data.key_version | Should -Be 3
        $r.Json.data.ciphertext | Should -Match '^ncpkms:v3:'
    }

    It 'works with an RSA2048 key' {
        $rsa = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048
        $r = Invoke-Key $rsa create-custom-key -Data @{ requestPlainKey = $true; bits = 512 }
        (Invoke-Key $rsa decrypt -Data @{ ciphertext = $r.Json.data.ciphertext }).Json.data.plaintext | Should -Be $r.Json.data.plaintext
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'bits 64'; Body = '{"bits":64}' }
        @{ Case = 'bits 192'; Body = '{"bits":192}' }
        @{ Case = 'bits 1024'; Body = '{"bits":1024}' }
        @{ Case = 'bits as a string'; Body = '{"bits":"256"}' }
        @{ Case = 'requestPlainKey as a string'; Body = '{"requestPlainKey":"true"}' }
    ) {
        Assert-KmsError (Invoke-Key $key create-custom-key -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Sign and Verify' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:keys = @{
            RSA2048 = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048
            ECDSA   = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA
        }
        $script:data = ConvertTo-Base64Text 'sign this'
        function Get-Signature($Key, [string] $Data = $script:data) { (Invoke-Key $Key sign -Data @{ data = $Data }).Json.data.signature }
        function Test-Signature($Key, [string] $Signature, [string] $Data = $script:data) { Invoke-Key $Key verify -Data @{ data = $Data; signature = $Signature } }
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'signs with an <KeyType> key under the KMS prefix, and verify answers valid: true as a Boolean' -TestCases @(
        @{ KeyType = 'RSA2048'; Length = 256 }
        @{ KeyType = 'ECDSA'; Length = $null }
    ) {
        $r = Invoke-Key $keys[$KeyType] sign -Data @{ data = $data }
        Get-Fields $r | Should -Be @('signature')
        $r.Json.data.signature | Should -Match '^ncpkms:v1:[A-Za-z0-9+/]+={0,2}$'
        if ($Length) { (Get-Payload $r.Json.data.signature).Length | Should -Be $Length }
        $v = Test-Signature $keys[$KeyType] $r.Json.data.signature
        Get-Fields $v | Should -Be @('valid')
        $v.Content | Should -Match '"valid":true'
        $v.Json.data.valid | Should -BeOfType [bool]
    }

    It 'answers valid: false for tampered data or a tampered signature with an <KeyType> key' -TestCases @(
        @{ KeyType = 'RSA2048' }
        @{ KeyType = 'ECDSA' }
    ) {
        $signature = Get-Signature $keys[$KeyType]
        (Test-Signature $keys[$KeyType] $signature (ConvertTo-Base64Text 'sign thiS')).Content | Should -Match '"valid":false'
        $bytes = Get-Payload $signature
        $bytes[10] = $bytes[10] -bxor 1
        (Test-Signature $keys[$KeyType] ('ncpkms:v1:' + [Convert]::ToBase64String($bytes))).Content | Should -Match '"valid":false'
    }

    It 'signs deterministically with the RSA2048 key (RSASSA-PKCS1-v1_5, not randomised PSS)' {
        Get-Signature $keys.RSA2048 | Should -BeExactly (Get-Signature $keys.RSA2048)
    }

    It 'accepts 8 KB of data and refuses 8193 bytes with 400' {
        (Invoke-Key $keys.ECDSA sign -Data @{ data = New-RandomBase64 8192 }).StatusCode | Should -Be 200
        Assert-KmsError (Invoke-Key $keys.ECDSA sign -Data @{ data = New-RandomBase64 8193 }) 400 'INVALID_REQUEST' 'Invalid request'
        Assert-KmsError (Test-Signature $keys.ECDSA (Get-Signature $keys.ECDSA) (New-RandomBase64 8193)) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'verifies a signature made before a rotation with the version its prefix names' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA
        $old = Get-Signature $key
        $null = Invoke-Key $key rotate
        $new = Get-Signature $key
        $new | Should -Match '^ncpkms:v2:'
        (Test-Signature $key $old).Json.data.valid | Should -BeTrue
        (Test-Signature $key $new).Json.data.valid | Should -BeTrue
        (Test-Signature $key $old.Replace('ncpkms:v1:', 'ncpkms:v2:')).Json.data.valid | Should -BeFalse -Because 'version 2 has another key'
    }

    It 'refuses to verify with a disabled version with 422' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048 -VersionCount 2
        $null = Invoke-Key $key versions/1/disable
        Assert-KmsError (Test-Signature $key ('ncpkms:v1:' + (New-RandomBase64 256))) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'a signature without the KMS prefix'; Operation = 'verify'; Body = { @{ data = 'dGVzdA=='; signature = New-RandomBase64 64 } } }
        @{ Case = 'a verify without signature'; Operation = 'verify'; Body = { @{ data = 'dGVzdA==' } } }
        @{ Case = 'a sign without data'; Operation = 'sign'; Body = { @{} } }
        @{ Case = 'data that is not Base64'; Operation = 'sign'; Body = { @{ data = '%%%' } } }
    ) {
        Assert-KmsError (Invoke-Key $keys.ECDSA $Operation -Data (& $Body)) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Get Public Key' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:bytes = [Text.Encoding]::UTF8.GetBytes('verify me outside')
        $script:data = [Convert]::ToBase64String($bytes)
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'answers an RSA2048 public key as SubjectPublicKeyInfo PEM that verifies an emulator signature with PKCS#1 v1.5 and SHA-256' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048
        $r = Invoke-Key $key get-pub-key -Data @{}
        Get-Fields $r | Should -Be @('publicKey')
        $pem = $r.Json.data.publicKey
        $pem | Should -Match '^-----BEGIN PUBLIC KEY-----\n'
        $pem | Should -Match '-----END PUBLIC KEY-----$'
        $rsa = [System.Security.Cryptography.RSA]::Create()
        $rsa.ImportFromPem($pem)
        $rsa.KeySize | Should -Be 2048
        $signature = Get-Payload (Invoke-Key $key sign -Data @{ data = $data }).Json.data.signature
        $sha256 = [System.Security.Cryptography.HashAlgorithmName]::SHA256
        $rsa.VerifyData($bytes, $signature, $sha256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1) | Should -BeTrue
        $rsa.VerifyData($bytes, $signature, $sha256, [System.Security.Cryptography.RSASignaturePadding]::Pss) | Should -BeFalse
    }

    It 'answers an ECDSA public key (P-256) that verifies an emulator signature with SHA-256 in DER form' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA
        $ecdsa = [System.Security.Cryptography.ECDsa]::Create()
        $ecdsa.ImportFromPem((Invoke-Key $key get-pub-key).Json.data.publicKey)
        $ecdsa.KeySize | Should -Be 256
        $signature = Get-Payload (Invoke-Key $key sign -Data @{ data = $data }).Json.data.signature
        $ecdsa.VerifyData($bytes, $signature, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.DSASignatureFormat]::Rfc3279DerSequence) | Should -BeTrue
    }

    It 'answers the key of the version keyVersion names, and the current one when it is omitted' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA -VersionCount 2
        $v1 = (Invoke-Key $key get-pub-key -Data @{ keyVersion = 1 }).Json.data.publicKey
        $v2 = (Invoke-Key $key get-pub-key -Data @{ keyVersion = 2 }).Json.data.publicKey
        $v1 | Should -Not -Be $v2
        (Invoke-Key $key get-pub-key).Json.data.publicKey | Should -Be $v2
    }

    It 'refuses a disabled version with 422 and an unknown one with 404' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA -VersionCount 2
        $null = Invoke-Key $key versions/1/disable
        Assert-KmsError (Invoke-Key $key get-pub-key -Data @{ keyVersion = 1 }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        Assert-KmsError (Invoke-Key $key get-pub-key -Data @{ keyVersion = 3 }) 404 'NOT_FOUND' 'Not found'
    }

    It 'refuses keyVersion <Value> with 400' -TestCases @(
        @{ Value = '0' }
        @{ Value = '101' }
        @{ Value = '"1"' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType ECDSA
        Assert-KmsError (Invoke-Key $key get-pub-key -Data "{`"keyVersion`":$Value}") 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Token generator' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'creates a generator with data null; Get shows it ACTIVE with the documented fields' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $before = Get-NowMs
        (Invoke-Key $key token-generator).Content | Should -BeExactly '{"code":"SUCCESS","data":null}'
        $r = Invoke-Key $key token-generator -Method GET
        Get-Fields $r | Should -Be @('tokenGeneratorId', 'status', 'enabledDate', 'disabledDate', 'issuedTokenCount')
        $r.Json.data.tokenGeneratorId | Should -Not -BeNullOrEmpty
        $r.Json.data.status | Should -Be 'ACTIVE'
        $r.Json.data.enabledDate | Should -BeGreaterOrEqual $before
        $r.Content | Should -Match '"disabledDate":null'
        $r.Json.data.issuedTokenCount | Should -Be 0
    }

    It 'answers Get on a key that never had a generator with 404' {
        Assert-KmsError (Invoke-Key (Add-NcpKmsEmulatorKey -Emulator $emulator) token-generator -Method GET) 404 'NOT_FOUND' 'Not found'
    }

    It 'refuses a second generator while one is active with 400' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key token-generator
        Assert-KmsError (Invoke-Key $key token-generator) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'replaces the generator with PUT: data null, a new id and a count of 0' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = New-TokenSet $key
        $old = (Invoke-Key $key token-generator -Method GET).Json.data
        $old.issuedTokenCount | Should -Be 2
        (Invoke-Key $key token-generator -Method PUT).Content | Should -BeExactly '{"code":"SUCCESS","data":null}'
        $new = (Invoke-Key $key token-generator -Method GET).Json.data
        $new.tokenGeneratorId | Should -Not -Be $old.tokenGeneratorId
        $new.status | Should -Be 'ACTIVE'
        $new.issuedTokenCount | Should -Be 0
    }

    It 'deletes the generator with DELETE: data null, then Get shows it INACTIVE with its disabledDate' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key token-generator
        $before = Get-NowMs
        (Invoke-Key $key token-generator -Method DELETE).Content | Should -BeExactly '{"code":"SUCCESS","data":null}'
        $r = (Invoke-Key $key token-generator -Method GET).Json.data
        $r.status | Should -Be 'INACTIVE'
        $r.disabledDate | Should -BeGreaterOrEqual $before
    }

    It 'answers <Method> without an active generator with 404' -TestCases @(
        @{ Method = 'PUT' }
        @{ Method = 'DELETE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $key token-generator -Method $Method) 404 'NOT_FOUND' 'Not found'
        $null = Invoke-Key $key token-generator
        $null = Invoke-Key $key token-generator -Method DELETE
        Assert-KmsError (Invoke-Key $key token-generator -Method $Method) 404 'NOT_FOUND' 'Not found'
    }

    It 'creates a new ACTIVE generator after the old one was deleted' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key token-generator
        $old = (Invoke-Key $key token-generator -Method GET).Json.data.tokenGeneratorId
        $null = Invoke-Key $key token-generator -Method DELETE
        (Invoke-Key $key token-generator).StatusCode | Should -Be 200
        $new = (Invoke-Key $key token-generator -Method GET).Json.data
        $new.status | Should -Be 'ACTIVE'
        $new.tokenGeneratorId | Should -Not -Be $old
    }

    It 'counts issued tokens: two per token set, one per access token' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $set = New-TokenSet $key
        $null = Invoke-Key $key access-token -Token $set.refreshToken -Data @{}
        $null = Invoke-Key $key token-set -Method PUT -Token $set.refreshToken -Data @{}
        (Invoke-Key $key token-generator -Method GET).Json.data.issuedTokenCount | Should -Be 5
    }
}

Describe 'Token authentication' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'token-key'
        $script:set = New-TokenSet $key
        $script:plain = ConvertTo-Base64Text 'token data'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'runs the documented flow: token set, encrypt with the access token, renew, new access token, replace the generator, old tokens refused' {
        $flowKey = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $flowKey token-generator
        $created = Invoke-Key $flowKey token-set -Data @{ accessTokenHours = 72; refreshTokenHours = 2160 }
        Get-Fields $created | Should -Be @('refreshToken', 'accessToken')
        $first = $created.Json.data

        $encrypted = Invoke-Key $flowKey encrypt -Token $first.accessToken -Data @{ plaintext = $plain }
        $encrypted.StatusCode | Should -Be 200
        (Invoke-Key $flowKey decrypt -Data @{ ciphertext = $encrypted.Json.data.ciphertext }).Json.data.plaintext | Should -Be $plain

        $renewed = Invoke-Key $flowKey token-set -Method PUT -Token $first.refreshToken -Data @{}
        Get-Fields $renewed | Should -Be @('refreshToken', 'accessToken')
        $renewed.Json.data.accessToken | Should -Not -Be $first.accessToken
        (Invoke-Key $flowKey encrypt -Token $renewed.Json.data.accessToken -Data @{ plaintext = $plain }).StatusCode | Should -Be 200
        (Invoke-Key $flowKey encrypt -Token $first.accessToken -Data @{ plaintext = $plain }).StatusCode | Should -Be 200 -Because 'renewing does not discard older sets'

        $access = Invoke-Key $flowKey access-token -Token $renewed.Json.data.refreshToken -Data @{ accessTokenHours = 1 }
        Get-Fields $access | Should -Be @('accessToken')
        (Invoke-Key $flowKey decrypt -Token $access.Json.data.accessToken -Data @{ ciphertext = $encrypted.Json.data.ciphertext }).Json.data.plaintext | Should -Be $plain

        $null = Invoke-Key $flowKey token-generator -Method PUT
        foreach ($token in $first.accessToken, $renewed.Json.data.accessToken, $access.Json.data.accessToken) {
            Assert-AuthenticationFailed (Invoke-Key $flowKey encrypt -Token $token -Data @{ plaintext = $plain })
        }
        Assert-AuthenticationFailed (Invoke-Key $flowKey access-token -Token $first.refreshToken -Data @{})
    }

    It 'accepts an access token on <Operation>' -TestCases @(
        @{ Operation = 'encrypt'; KeyType = 'AES256'; Body = { param($k) @{ plaintext = 'dGVzdA==' } } }
        @{ Operation = 'decrypt'; KeyType = 'AES256'; Body = { param($k) @{ ciphertext = Protect-Text $k 'dGVzdA==' } } }
        @{ Operation = 're-encrypt'; KeyType = 'AES256'; Body = { param($k) @{ ciphertext = Protect-Text $k 'dGVzdA==' } } }
        @{ Operation = 'create-custom-key'; KeyType = 'AES256'; Body = { param($k) @{} } }
        @{ Operation = 'sign'; KeyType = 'ECDSA'; Body = { param($k) @{ data = 'dGVzdA==' } } }
        @{ Operation = 'verify'; KeyType = 'ECDSA'; Body = { param($k) @{ data = 'dGVzdA=='; signature = (Invoke-Key $k sign -Data @{ data = 'dGVzdA==' }).Json.data.signature } } }
        @{ Operation = 'get-pub-key'; KeyType = 'ECDSA'; Body = { param($k) @{} } }
    ) {
        $tokenKey = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType $KeyType
        $tokens = New-TokenSet $tokenKey
        $r = Invoke-Key $tokenKey $Operation -Token $tokens.accessToken -Data (& $Body $tokenKey)
        $r.StatusCode | Should -Be 200 -Because $r.Content
        (Get-NcpKmsEmulatorRequest $emulator)[-1].AccessKey | Should -BeNullOrEmpty -Because 'no signature headers were sent'
    }

    It 'issues JWT-shaped tokens naming the key, kind, generator and expiry (defaults 72 h and 2160 h)' {
        $generatorId = (Invoke-Key $key token-generator -Method GET).Json.data.tokenGeneratorId
        foreach ($pair in @(@($set.accessToken, 'ACCESS', 72), @($set.refreshToken, 'REFRESH', 2160))) {
            $token, $kind, $hours = $pair
            $token | Should -Match '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'
            (Read-TokenPart $token 0).alg | Should -Be 'HS256'
            $payload = Read-TokenPart $token 1
            $payload.keyTag | Should -Be $key.KeyTag
            $payload.tokenType | Should -Be $kind
            $payload.generatorId | Should -Be $generatorId
            ($payload.exp - $payload.iat) | Should -Be ($hours * 3600)
        }
    }

    It 'issues tokens without expiry for "UL", and accepts 1 and 17520 hours' {
        $unlimited = (Invoke-Key $key token-set -Data @{ accessTokenHours = 'UL'; refreshTokenHours = 'UL' }).Json.data
        (Read-TokenPart $unlimited.accessToken 1).PSObject.Properties.Name | Should -Not -Contain 'exp'
        (Read-TokenPart $unlimited.refreshToken 1).PSObject.Properties.Name | Should -Not -Contain 'exp'
        $bounds = (Invoke-Key $key token-set -Data @{ accessTokenHours = 1; refreshTokenHours = 17520 }).Json.data
        $payload = Read-TokenPart $bounds.refreshToken 1
        ($payload.exp - $payload.iat) | Should -Be (17520 * 3600)
    }

    It 'refuses <Field> <Value> with 400 INVALID_REQUEST' -TestCases @(
        @{ Field = 'accessTokenHours'; Value = '0' }
        @{ Field = 'accessTokenHours'; Value = '17521' }
        @{ Field = 'accessTokenHours'; Value = '"72"' }
        @{ Field = 'accessTokenHours'; Value = '1.5' }
        @{ Field = 'accessTokenHours'; Value = '"ul"' }
        @{ Field = 'refreshTokenHours'; Value = '0' }
        @{ Field = 'refreshTokenHours'; Value = 'true' }
    ) {
        Assert-KmsError (Invoke-Key $key token-set -Data "{`"$Field`":$Value}") 400 'INVALID_REQUEST' 'Invalid request'
        if ($Field -eq 'accessTokenHours') {
            Assert-KmsError (Invoke-Key $key access-token -Token $set.refreshToken -Data "{`"$Field`":$Value}") 400 'INVALID_REQUEST' 'Invalid request'
        }
    }

    It 'refuses an access token once it expired on the emulator clock, with 401' {
        $clocked = Start-NcpKmsEmulator
        try {
            $clockKey = Add-NcpKmsEmulatorKey -Emulator $clocked
            $tokens = New-TokenSet $clockKey @{ accessTokenHours = 1 } -Emulator $clocked
            (Invoke-Key $clockKey encrypt -Emulator $clocked -Token $tokens.accessToken -Data @{ plaintext = $plain }).StatusCode | Should -Be 200
            $null = Set-NcpKmsEmulatorClock -Emulator $clocked -Advance (New-TimeSpan -Minutes 61)
            $r = Invoke-Key $clockKey encrypt -Emulator $clocked -Token $tokens.accessToken -Data @{ plaintext = $plain }
            Assert-AuthenticationFailed $r
            $r.Json.error.details | Should -Match 'expired'
            (Invoke-Key $clockKey access-token -Emulator $clocked -Token $tokens.refreshToken -Data @{}).StatusCode | Should -Be 200 -Because 'the refresh token lives 2160 hours'
        } finally {
            Stop-NcpKmsEmulator $clocked
        }
    }

    It 'refuses <Case> with 401 (gateway errorCode 200)' -TestCases @(
        @{ Case = 'a token of another key'; Call = { $other = Add-NcpKmsEmulatorKey -Emulator $emulator; $null = Invoke-Key $other token-generator; Invoke-Key $other encrypt -Token $set.accessToken -Data @{ plaintext = $plain } } }
        @{ Case = 'a refresh token on a crypto operation'; Call = { Invoke-Key $key encrypt -Token $set.refreshToken -Data @{ plaintext = $plain } } }
        @{ Case = 'an access token on Renew Token Set'; Call = { Invoke-Key $key token-set -Method PUT -Token $set.accessToken -Data @{} } }
        @{ Case = 'an access token on Create Access Token'; Call = { Invoke-Key $key access-token -Token $set.accessToken -Data @{} } }
        @{ Case = 'account authentication on Renew Token Set'; Call = { Invoke-Key $key token-set -Method PUT -Data @{} } }
        @{ Case = 'account authentication on Create Access Token'; Call = { Invoke-Key $key access-token -Data @{} } }
        @{ Case = 'an access token on Get Key Info'; Call = { Invoke-Key $key -Method GET -Token $set.accessToken } }
        @{ Case = 'an access token on Rotate Key'; Call = { Invoke-Key $key rotate -Token $set.accessToken } }
        @{ Case = 'an access token on Create Token Set'; Call = { Invoke-Key $key token-set -Token $set.accessToken -Data @{} } }
        @{ Case = 'a refresh token on Get ACL Rule List'; Call = { Invoke-Key $key acl -Method GET -Token $set.refreshToken } }
        @{ Case = 'a token that is not a JWT'; Call = { Invoke-Key $key encrypt -Token 'not-a-token' -Data @{ plaintext = $plain } } }
        @{ Case = 'a token with a forged signature'; Call = { Invoke-Key $key encrypt -Token ($set.accessToken.Substring(0, $set.accessToken.LastIndexOf('.') + 1) + 'AAAA') -Data @{ plaintext = $plain } } }
    ) {
        Assert-AuthenticationFailed (& $Call)
    }

    It 'refuses every token of the key once its generator is deleted' {
        $deletedKey = Add-NcpKmsEmulatorKey -Emulator $emulator
        $tokens = New-TokenSet $deletedKey
        $null = Invoke-Key $deletedKey token-generator -Method DELETE
        Assert-AuthenticationFailed (Invoke-Key $deletedKey encrypt -Token $tokens.accessToken -Data @{ plaintext = $plain })
        Assert-AuthenticationFailed (Invoke-Key $deletedKey access-token -Token $tokens.refreshToken -Data @{})
    }

    It 'answers Create Token Set without an active generator with 404' {
        Assert-KmsError (Invoke-Key (Add-NcpKmsEmulatorKey -Emulator $emulator) token-set -Data @{}) 404 'NOT_FOUND' 'Not found'
    }

    It 'still refuses crypto on a disabled key with a valid access token (422)' {
        $disabledKey = Add-NcpKmsEmulatorKey -Emulator $emulator
        $tokens = New-TokenSet $disabledKey
        $null = Invoke-Key $disabledKey disable
        Assert-KmsError (Invoke-Key $disabledKey encrypt -Token $tokens.accessToken -Data @{ plaintext = $plain }) 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }
}

Describe 'IP ACL' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'starts disabled with an empty list, answering keyTag, isAclEnabled and allowedIpList' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $r = Invoke-Key $key acl -Method GET
        Get-Fields $r | Should -Be @('keyTag', 'isAclEnabled', 'allowedIpList')
        $r.Json.data.keyTag | Should -Be $key.KeyTag
        $r.Json.data.isAclEnabled | Should -BeFalse
        $r.Content | Should -Match '"allowedIpList":\[\]'
    }

    It 'adds addresses once each, in order, answering keyTag and allowedIpList' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $r = Invoke-Key $key acl -Data @{ ipList = @('10.0.0.1', '192.168.0.255', '10.0.0.1') }
        Get-Fields $r | Should -Be @('keyTag', 'allowedIpList')
        @($r.Json.data.allowedIpList) | Should -Be @('10.0.0.1', '192.168.0.255')
        @((Invoke-Key $key acl -Data @{ ipList = @('192.168.0.255', '0.0.0.0') }).Json.data.allowedIpList) | Should -Be @('10.0.0.1', '192.168.0.255', '0.0.0.0')
        @((Invoke-Key $key acl -Method GET).Json.data.allowedIpList) | Should -Be @('10.0.0.1', '192.168.0.255', '0.0.0.0')
    }

    It 'accepts the older field name IpList' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        @((Invoke-Key $key acl -Data @{ IpList = @('10.1.1.1') }).Json.data.allowedIpList) | Should -Be @('10.1.1.1')
    }

    It 'removes addresses given in the JSON body of DELETE, ignoring ones not listed' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key acl -Data @{ ipList = @('10.0.0.1', '10.0.0.2') }
        $r = Invoke-Key $key acl -Method DELETE -Data @{ ipList = @('10.0.0.1', '10.9.9.9') }
        Get-Fields $r | Should -Be @('keyTag', 'allowedIpList')
        @($r.Json.data.allowedIpList) | Should -Be @('10.0.0.2')
        (Invoke-Key $key acl -Method DELETE -Data @{ ipList = @('10.0.0.2') }).Content | Should -Match '"allowedIpList":\[\]'
    }

    It 'refuses <Case> with 400 INVALID_REQUEST on <Method>' -TestCases @(
        @{ Case = 'an octet over 255'; Method = 'POST'; Body = '{"ipList":["256.1.1.1"]}' }
        @{ Case = 'a CIDR range'; Method = 'POST'; Body = '{"ipList":["10.0.0.0/8"]}' }
        @{ Case = 'an IPv6 address'; Method = 'POST'; Body = '{"ipList":["::1"]}' }
        @{ Case = 'three octets'; Method = 'POST'; Body = '{"ipList":["1.2.3"]}' }
        @{ Case = 'a leading zero'; Method = 'POST'; Body = '{"ipList":["01.2.3.4"]}' }
        @{ Case = 'a host name'; Method = 'POST'; Body = '{"ipList":["localhost"]}' }
        @{ Case = 'an empty list'; Method = 'POST'; Body = '{"ipList":[]}' }
        @{ Case = 'a string instead of a list'; Method = 'POST'; Body = '{"ipList":"1.2.3.4"}' }
        @{ Case = 'no ipList'; Method = 'POST'; Body = '{}' }
        @{ Case = 'no ipList'; Method = 'DELETE'; Body = '{}' }
        @{ Case = 'an IPv6 address'; Method = 'DELETE'; Body = '{"ipList":["::1"]}' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Assert-KmsError (Invoke-Key $key acl -Method $Method -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'enables and disables the ACL, answering keyTag and isAclEnabled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $on = Invoke-Key $key acl/enable
        Get-Fields $on | Should -Be @('keyTag', 'isAclEnabled')
        $on.Json.data.isAclEnabled | Should -BeTrue
        (Invoke-Key $key acl -Method GET).Json.data.isAclEnabled | Should -BeTrue
        (Invoke-Key $key acl/disable).Json.data.isAclEnabled | Should -BeFalse
        (Invoke-Key $key acl -Method GET).Json.data.isAclEnabled | Should -BeFalse
    }

    It 'refuses a token request from an address not on the list with 403 (errorCode 230), while account calls still work' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $tokens = New-TokenSet $key
        $null = Invoke-Key $key acl -Data @{ ipList = @('10.0.0.1') }
        $null = Invoke-Key $key acl/enable
        $r = Invoke-Key $key encrypt -Token $tokens.accessToken -Data @{ plaintext = 'dGVzdA==' }
        Assert-GatewayError $r 403 '230'
        $r.Json.error.message | Should -Be 'Forbidden'
        Assert-GatewayError (Invoke-Key $key access-token -Token $tokens.refreshToken -Data @{}) 403 '230'
        (Invoke-Key $key encrypt -Data @{ plaintext = 'dGVzdA==' }).StatusCode | Should -Be 200
    }

    It 'allows the token request once 127.0.0.1 is listed, and from anywhere once the ACL is disabled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $tokens = New-TokenSet $key
        $null = Invoke-Key $key acl/enable
        Assert-GatewayError (Invoke-Key $key encrypt -Token $tokens.accessToken -Data @{ plaintext = 'dGVzdA==' }) 403 '230'
        $null = Invoke-Key $key acl -Data @{ ipList = @('127.0.0.1') }
        (Invoke-Key $key encrypt -Token $tokens.accessToken -Data @{ plaintext = 'dGVzdA==' }).StatusCode | Should -Be 200
        $null = Invoke-Key $key acl -Method DELETE -Data @{ ipList = @('127.0.0.1') }
        $null = Invoke-Key $key acl/disable
        (Invoke-Key $key encrypt -Token $tokens.accessToken -Data @{ plaintext = 'dGVzdA==' }).StatusCode | Should -Be 200
    }
}

Describe 'Activity log' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'logged'
        $script:start = Get-NowMs
        $null = Invoke-Key $key -Method GET
        $null = Invoke-Key $key encrypt -Data @{ plaintext = 'dGVzdA==' }
        $null = Invoke-Key $key decrypt -Data @{ ciphertext = 'ncpkms:v1:AAAA' }
        $tokens = New-TokenSet $key
        $null = Invoke-Key $key encrypt -Token $tokens.accessToken -Data @{ plaintext = 'dGVzdA==' }
        $null = Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate" -SecretKey 'wrong'
        $null = Invoke-Key $key encrypt -Token 'forged' -Data @{ plaintext = 'dGVzdA==' }
        # Ordered newest first; the query that reads it is recorded only after it answers.
        $script:records = @((Invoke-Key $key activities -Method GET).Json.data.activityLogList)
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'records each authenticated call, newest first' {
        $records.data.api.action | Should -Be @('Encrypt', 'CreateTokenSet', 'CreateTokenGenerator', 'Decrypt', 'Encrypt', 'GetKeyInfo')
    }

    It 'writes the documented fields for each record' {
        $record = $records[-1]
        @($record.PSObject.Properties.Name) | Should -Be @('timestamp', 'data', 'message')
        @($record.data.PSObject.Properties.Name) | Should -Be @('kmsKey', 'requestor', 'api')
        (Invoke-Key $key activities -Method GET).Content | Should -Match '"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"'
        $record.data.kmsKey.keyTag | Should -Be $key.KeyTag
        $record.data.kmsKey.keyName | Should -Be 'logged'
        $record.data.kmsKey.nrn | Should -Match ([regex]::Escape($key.KeyTag))
        $record.data.requestor.requestType | Should -Be 'API'
        $record.data.requestor.id | Should -Be $emulator.AccessKey
        $record.data.requestor.ip | Should -Be '127.0.0.1'
        $record.data.api.result | Should -Be 'SUCCESS'
        $record.data.api.type | Should -Be 'ACCOUNT'
        $record.message | Should -Match 'GetKeyInfo'
    }

    It 'records a refused call as FAIL with the reason in the message' {
        $decrypt = $records | Where-Object { $_.data.api.action -eq 'Decrypt' }
        $decrypt.data.api.result | Should -Be 'FAIL'
        $decrypt.message | Should -Match 'ciphertext'
    }

    It 'records a token call as type TOKEN with the requestor id "token"' {
        $records[0].data.api.type | Should -Be 'TOKEN'
        $records[0].data.requestor.id | Should -Be 'token'
    }

    It 'filters by keyword in the action or the message, ignoring case' {
        $byAction = @((Invoke-Key $key activities -Method GET -Query 'keyword=ENCRYPT').Json.data.activityLogList)
        $byAction.data.api.action | Should -Be @('Encrypt', 'Encrypt')
        $byMessage = @((Invoke-Key $key activities -Method GET -Query 'keyword=DOES%20NOT%20DECRYPT').Json.data.activityLogList)
        $byMessage.data.api.action | Should -Be @('Decrypt') -Because 'only the message of the refused decrypt says so'
    }

    It 'filters by timestampFrom and timestampTo' {
        $now = Get-NowMs
        @((Invoke-Key $key activities -Method GET -Query "timestampFrom=$($now + 60000)&timestampTo=$($now + 120000)").Json.data.activityLogList).Count | Should -Be 0
        @((Invoke-Key $key activities -Method GET -Query "timestampFrom=0&timestampTo=$($start - 1)").Json.data.activityLogList).Count | Should -Be 0
        @((Invoke-Key $key activities -Method GET -Query "timestampFrom=$start&timestampTo=$now").Json.data.activityLogList).Count | Should -BeGreaterOrEqual 6
    }

    It 'pages with pageNo and pageSize and reports the paging fields' {
        $first = (Invoke-Key $key activities -Method GET -Query 'pageNo=1&pageSize=2').Json.data
        @($first.PSObject.Properties.Name) | Should -Be @('activityLogList', 'pageSize', 'currentPageNo', 'totalPageNo', 'totalCount')
        $total = $first.totalCount
        $total | Should -BeGreaterOrEqual 6
        $first.pageSize | Should -Be 2
        $first.currentPageNo | Should -Be 1
        $first.totalPageNo | Should -Be ([math]::Ceiling($total / 2))
        @($first.activityLogList).Count | Should -Be 2
        $beyond = (Invoke-Key $key activities -Method GET -Query 'pageNo=1000&pageSize=2').Json.data
        @($beyond.activityLogList).Count | Should -Be 0
        $beyond.currentPageNo | Should -Be 1000
    }

    It 'refuses <Query> with 400 INVALID_REQUEST' -TestCases @(
        @{ Query = 'pageSize=0' }
        @{ Query = 'pageSize=201' }
        @{ Query = 'pageNo=0' }
        @{ Query = 'timestampFrom=abc' }
        @{ Query = 'timestampFrom=2000&timestampTo=1000' }
    ) {
        Assert-KmsError (Invoke-Key $key activities -Method GET -Query $Query) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'accepts pageSize 200' {
        (Invoke-Key $key activities -Method GET -Query 'pageSize=200').Json.data.pageSize | Should -Be 200
    }

    It 'covers the last day by default' {
        $clocked = Start-NcpKmsEmulator
        try {
            $old = Add-NcpKmsEmulatorKey -Emulator $clocked
            $null = Invoke-Key $old -Method GET -Emulator $clocked
            $null = Set-NcpKmsEmulatorClock -Emulator $clocked -Advance (New-TimeSpan -Hours 25)
            @((Invoke-Key $old activities -Method GET -Emulator $clocked).Json.data.activityLogList).Count | Should -Be 0
            @((Invoke-Key $old activities -Method GET -Emulator $clocked -Query 'timestampFrom=0').Json.data.activityLogList).Count | Should -Be 2
        } finally {
            Stop-NcpKmsEmulator $clocked
        }
    }

    It 'answers an unknown key with 404' {
        Assert-KmsError (Invoke-Key ('z' * 64) activities -Method GET) 404 'NOT_FOUND' 'Not found'
    }
}

Describe 'Get Latest Use Info' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'answers data null for a key no call has used yet' {
        (Invoke-Key (Add-NcpKmsEmulatorKey -Emulator $emulator) last-use-info -Method GET).Content | Should -BeExactly '{"code":"SUCCESS","data":null}'
    }

    It 'answers the most recent call as one activity-log item' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'used'
        $null = Invoke-Key $key encrypt -Data @{ plaintext = 'dGVzdA==' }
        $null = Invoke-Key $key rotate
        $data = (Invoke-Key $key last-use-info -Method GET).Json.data
        @($data.PSObject.Properties.Name) | Should -Be @('timestamp', 'data', 'message')
        $data.data.api.action | Should -Be 'RotateKey'
        $data.data.api.result | Should -Be 'SUCCESS'
        $data.data.kmsKey.keyName | Should -Be 'used'
        (Invoke-Key $key last-use-info -Method GET).Json.data.data.api.action | Should -Be 'GetLatestUseInfo'
    }

    It 'answers an unknown key with 404' {
        Assert-KmsError (Invoke-Key ('z' * 64) last-use-info -Method GET) 404 'NOT_FOUND' 'Not found'
    }
}

Describe 'Request bodies' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -AutoRotationPeriodDays 30
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'refuses <Body> on <Method> <Path> with 400 INVALID_REQUEST (shape B)' -TestCases @(
        @{ Method = 'PUT'; Path = 'name'; Body = 'not json' }
        @{ Method = 'PUT'; Path = 'name'; Body = '["a-name"]' }
        @{ Method = 'PUT'; Path = 'name'; Body = '' }
        @{ Method = 'PUT'; Path = 'memo'; Body = '{"memo":null}' }
        @{ Method = 'PUT'; Path = 'rotation-period'; Body = '{"rotationPeriod":true}' }
        @{ Method = 'POST'; Path = 'encrypt'; Body = '{"plaintext":{"a":1}}' }
        @{ Method = 'POST'; Path = 'decrypt'; Body = '{"ciphertext":null}' }
        @{ Method = 'POST'; Path = 'sign'; Body = '{"data":["dGVzdA=="]}' }
        @{ Method = 'POST'; Path = 'migrate'; Body = '"KR"' }
        @{ Method = 'POST'; Path = 'acl'; Body = '{"ipList":[1]}' }
        @{ Method = 'POST'; Path = 'get-pub-key'; Body = '{' }
    ) {
        Assert-KmsError (Invoke-Key $key $Path -Method $Method -Data $Body) 400 'INVALID_REQUEST' 'Invalid request'
    }
}

Describe 'Set-NcpKmsEmulatorClock' {
    BeforeEach { $script:emulator = Start-NcpKmsEmulator }
    AfterEach { Stop-NcpKmsEmulator $emulator }

    It 'moves the clock by -Advance from where it is and writes the EmulatorTime' {
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Hours 1)
        $time = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Minutes 30)
        $time | Should -BeOfType ([NcpKms.Emulator.EmulatorTime])
        $time.Endpoint | Should -Be $emulator.Endpoint
        $time.ClockSkew | Should -Be (New-TimeSpan -Minutes 90)
        $emulator.ClockSkew | Should -Be (New-TimeSpan -Minutes 90)
        ($time.Now - [DateTimeOffset]::UtcNow).TotalMinutes | Should -BeGreaterThan 89
    }

    It 'sets the skew with -Skew, whatever it was' {
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Days 3)
        (Set-NcpKmsEmulatorClock -Emulator $emulator -Skew (New-TimeSpan -Minutes -10)).ClockSkew | Should -Be (New-TimeSpan -Minutes -10)
        (Set-NcpKmsEmulatorClock -Emulator $emulator -Skew 0).ClockSkew | Should -Be ([TimeSpan]::Zero)
    }

    It 'moves the clock requests are checked against' {
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Minutes 10)
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp (Get-TestTimestamp))
        (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').StatusCode | Should -Be 200
    }

    It 'refuses a skew beyond 3650 days with InvalidClockSkew and leaves the clock' {
        $null = Set-NcpKmsEmulatorClock -Emulator $emulator -Skew (New-TimeSpan -Days 3600)
        { Set-NcpKmsEmulatorClock -Emulator $emulator -Advance (New-TimeSpan -Days 51) } |
            Should -Throw -ErrorId 'InvalidClockSkew,NcpKms.Emulator.Commands.SetNcpKmsEmulatorClockCommand' -ExpectedMessage '*Advance*'
        { Set-NcpKmsEmulatorClock -Emulator $emulator -Skew (New-TimeSpan -Days -3651) } | Should -Throw -ExpectedMessage '*Skew*'
        $emulator.ClockSkew | Should -Be (New-TimeSpan -Days 3600)
    }

    It 'refuses a stopped emulator' {
        $stopped = Start-NcpKmsEmulator
        Stop-NcpKmsEmulator $stopped
        { Set-NcpKmsEmulatorClock -Emulator $stopped -Advance 1 } | Should -Throw -ErrorId 'EmulatorStopped,NcpKms.Emulator.Commands.SetNcpKmsEmulatorClockCommand'
    }

    It 'takes the emulator from the pipeline and needs -Advance or -Skew, not both' {
        ($emulator | Set-NcpKmsEmulatorClock -Advance (New-TimeSpan -Hours 2)).ClockSkew | Should -Be (New-TimeSpan -Hours 2)
        { Set-NcpKmsEmulatorClock -Emulator $emulator -Advance 1 -Skew 1 } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
    }

    It 'shows Endpoint, ClockSkew and Now in its table view' {
        $text = Set-NcpKmsEmulatorClock -Emulator $emulator -Skew (New-TimeSpan -Hours 5) | Out-String
        $text | Should -Match ([regex]::Escape($emulator.Endpoint))
        $text | Should -Match '05:00:00'
        $text | Should -Match 'Now'
    }
}

Describe 'Add-NcpKmsEmulatorKey creation fields' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'seeds the protection type, memo, convergence and auto rotation as Key Info reports them' {
        $before = Get-NowMs
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -ProtectionType common_hsm -Memo 'seeded memo' -Convergent -AutoRotationPeriodDays 30
        $info = (Invoke-Key $key -Method GET).Json.data
        $info.protectionType | Should -BeExactly 'COMMON_HSM'
        $info.memo | Should -Be 'seeded memo'
        $info.isConvergent | Should -BeTrue
        $info.isAutoRotation | Should -BeTrue
        $info.rotationPeriod | Should -Be 30
        $info.nextRotationDate | Should -BeGreaterOrEqual ($before + 30 * 86400000)
    }

    It 'keeps the defaults: BASIC, no memo, not convergent, auto rotation off' {
        $info = (Invoke-Key (Add-NcpKmsEmulatorKey -Emulator $emulator) -Method GET).Json.data
        $info.protectionType | Should -Be 'BASIC'
        $info.memo | Should -BeExactly ''
        $info.isConvergent | Should -BeFalse
        $info.isAutoRotation | Should -BeFalse
        $info.rotationPeriod | Should -Be 90
    }

    It 'rejects <Case> naming the parameter' -TestCases @(
        @{ Case = '-Convergent with RSA2048'; Arguments = @{ Convergent = $true; KeyType = 'RSA2048' }; Message = '*Convergent*' }
        @{ Case = 'a 101-character memo'; Arguments = @{ Memo = 'm' * 101 }; Message = '*Memo*' }
        @{ Case = 'a 731-day rotation period'; Arguments = @{ AutoRotationPeriodDays = 731 }; Message = '*AutoRotationPeriodDays*' }
        @{ Case = 'an unknown protection type'; Arguments = @{ ProtectionType = 'HSM' }; Message = '*ProtectionType*' }
    ) {
        { Add-NcpKmsEmulatorKey -Emulator $emulator @Arguments } | Should -Throw -ExpectedMessage $Message
    }
}
