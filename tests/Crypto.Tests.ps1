# The crypto cmdlets against the emulator over real HTTP: encrypt, decrypt, re-encrypt, data keys, sign,
# verify, public keys; their limits (checked before any request), key types, token authentication, and
# secrets kept out of every stream.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator

    function New-TestKey {
        param([string] $KeyType = 'AES256', [switch] $Convergent, [string] $Status = 'ENABLE')
        $name = 'c' + [guid]::NewGuid().ToString('n').Substring(0, 12)
        Add-NcpKmsEmulatorKey -Emulator $emulator -Name $name -KeyType $KeyType -Convergent:$Convergent -Status $Status
    }

    function Get-RequestSince([int] $Before) {
        @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Select-Object -Skip $Before)
    }

    function ConvertFrom-TestSecureString([securestring] $Secure) {
        [System.Net.NetworkCredential]::new('', $Secure).Password
    }

    # A token generator and a token set made through raw account-signed calls; returns the access token text.
    function New-TestAccessToken($Key) {
        $generator = Invoke-RawKms -Emulator $emulator -Method POST -RequestUri "/kms/v1/keys/$($Key.KeyTag)/token-generator"
        $generator.StatusCode | Should -Be 200
        $set = Invoke-RawKms -Emulator $emulator -Method POST -RequestUri "/kms/v1/keys/$($Key.KeyTag)/token-set" -Body '{}'
        $set.StatusCode | Should -Be 200
        $set.Json.data.accessToken
    }

    # Asserts that a command wrote exactly one error with this id, the key tag as target, and sent nothing.
    function Assert-RefusedBeforeRequest([scriptblock] $Command, [string] $ErrorId, [string] $KeyTag, [string] $Category = 'InvalidArgument') {
        # Non-terminating, as in a user's session (build.ps1 runs the tests with 'Stop').
        $ErrorActionPreference = 'Continue'
        $before = Get-RequestCount $emulator
        $records = @(& $Command 2>&1)
        $failures = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "NcpKms.$ErrorId,*"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].TargetObject | Should -Be $KeyTag
        $failures[0].Exception.Message | Should -Match 'No request was sent'
        Get-RequestCount $emulator | Should -Be $before
        $failures[0]
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Protect-NcpKmsData' {
    BeforeAll {
        $aes = New-TestKey
    }

    It 'encrypts a string and writes the key tag, the current version and the ciphertext' {
        $key = New-TestKey

        $result = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'hello'

        $result.PSObject.TypeNames[0] | Should -Be 'NcpKms.EncryptedData'
        $result.KeyTag | Should -Be $key.KeyTag
        $result.KeyVersion | Should -Be 1
        $result.Ciphertext | Should -Match '^ncpkms:v1:\S+$'
        "$result" | Should -Be $result.Ciphertext
        ($result | Unprotect-NcpKmsData -AsPlainText) | Should -Be 'hello'
    }

    It 'encrypts each piped value in its own request with -BatchSize 1, in order' {
        $before = Get-RequestCount $emulator

        $results = 'first', 'second', 'third' | Protect-NcpKmsData -KeyTag $aes.KeyTag -BatchSize 1

        $results.Count | Should -Be 3
        @((Get-RequestSince $before) | Where-Object Path -Like '*/encrypt').Count | Should -Be 3
        ($results | Unprotect-NcpKmsData -AsPlainText) | Should -Be @('first', 'second', 'third')
    }

    It 'takes the key tag and the plaintext by position' {
        (Protect-NcpKmsData $aes.KeyTag 'positional' | Unprotect-NcpKmsData -AsPlainText) | Should -Be 'positional'
    }

    It 'round-trips Korean text as UTF-8 by default' {
        $text = '안녕하세요, 세계! KMS 암호화'

        $encrypted = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext $text

        ($encrypted | Unprotect-NcpKmsData -AsPlainText) | Should -BeExactly $text
        $bytes = $encrypted | Unprotect-NcpKmsData -AsByteArray
        [Convert]::ToHexString($bytes) | Should -Be ([Convert]::ToHexString([System.Text.UTF8Encoding]::new($false).GetBytes($text))) -Because 'the default is UTF-8 without a byte order mark'
    }

    It 'round-trips Korean text with -Encoding Unicode, encrypting UTF-16LE bytes' {
        $text = '비밀번호 🔑'

        $encrypted = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext $text -Encoding Unicode

        ($encrypted | Unprotect-NcpKmsData -AsPlainText -Encoding Unicode) | Should -BeExactly $text
        [Convert]::ToHexString(($encrypted | Unprotect-NcpKmsData -AsByteArray)) | Should -Be ([Convert]::ToHexString([System.Text.Encoding]::Unicode.GetBytes($text)))
    }

    It 'encrypts a byte array as it is, given as an argument or piped as ,$bytes, and gives the same bytes back' {
        # Every byte value, including sequences that are not valid UTF-8: any text conversion would change them.
        $bytes = [byte[]]((0..255) + (0xC0, 0xFF, 0x00, 0xFE))

        $byArgument = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext $bytes
        $byPipeline = , $bytes | Protect-NcpKmsData -KeyTag $aes.KeyTag

        foreach ($encrypted in $byArgument, $byPipeline) {
            $decrypted = $encrypted | Unprotect-NcpKmsData -AsByteArray
            $decrypted.GetType() | Should -Be ([byte[]])
            [Convert]::ToHexString($decrypted) | Should -Be ([Convert]::ToHexString($bytes))
        }
    }

    It 'refuses a byte array that PowerShell unrolled, saying how to pipe it' {
        $before = Get-RequestCount $emulator

        $output = [byte[]](1, 2) | Protect-NcpKmsData -KeyTag $aes.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidArgument,*'
        $failures[0].Exception.Message | Should -Match ',\$bytes'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'encrypts a SecureString without a plain-text copy in the output, and decrypts to a SecureString' {
        $secure = ConvertTo-TestSecureString 'S3cure-Pässword'

        $decrypted = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext $secure | Unprotect-NcpKmsData

        $decrypted | Should -BeOfType [securestring]
        ConvertFrom-TestSecureString $decrypted | Should -BeExactly 'S3cure-Pässword'
    }

    It 'encrypts exactly 32 KB' {
        $result = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext ([byte[]]::new(32768))

        $result.Ciphertext | Should -Match '^ncpkms:v1:'
    }

    It 'refuses 32 KB + 1 byte before any request, even for a key whose type is not known yet' {
        $key = New-TestKey

        $failure = Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext ([byte[]]::new(32769)) } -ErrorId 'PlaintextTooLarge' -KeyTag $key.KeyTag

        $failure.Exception.Message | Should -Match '-Plaintext is 32769 bytes'
        $failure.Exception.Message | Should -Match '32768'
    }

    It 'refuses 191 bytes for an RSA2048 key before the encrypt request, and encrypts 190' {
        $rsa = New-TestKey -KeyType RSA2048
        $before = Get-RequestCount $emulator

        $ok = Protect-NcpKmsData -KeyTag $rsa.KeyTag -Plaintext ('x' * 190)

        $ok.KeyVersion | Should -Be 1
        # The first use read the key type (one GET); it is remembered, so the refusal sends nothing at all.
        @(Get-RequestSince $before).Method | Should -Be @('GET', 'POST')
        $failure = Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $rsa.KeyTag -Plaintext ('x' * 191) } -ErrorId 'PlaintextTooLarge' -KeyTag $rsa.KeyTag
        $failure.Exception.Message | Should -Match 'RSA2048'
        $failure.Exception.Message | Should -Match '190'
    }

    It 'reads the key type once per key, not once per item' {
        $key = New-TestKey
        $before = Get-RequestCount $emulator

        $null = 1..4 | ForEach-Object { "item $_" } | Protect-NcpKmsData -KeyTag $key.KeyTag -BatchSize 1
        $null = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'a later pipeline'

        $requests = Get-RequestSince $before
        @($requests | Where-Object Method -EQ 'GET').Count | Should -Be 1
        @($requests | Where-Object Path -Like '*/encrypt').Count | Should -Be 5
    }

    It 'refuses a 51-byte encryption context before any request' {
        $key = New-TestKey -Convergent

        $failure = Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'x' -EncryptionContext ('c' * 51) } -ErrorId 'EncryptionContextTooLarge' -KeyTag $key.KeyTag

        $failure.Exception.Message | Should -Match '-EncryptionContext is 51 bytes'
    }

    It 'refuses an empty plaintext before any request' {
        Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext '' } -ErrorId 'EmptyInput' -KeyTag $aes.KeyTag
    }

    It 'refuses text the encoding cannot represent instead of encrypting question marks' {
        $failure = Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext '한글' -Encoding ascii } -ErrorId 'EncodingFailed' -KeyTag $aes.KeyTag

        $failure.Exception.Message | Should -Match 'us-ascii'
    }

    It 'refuses an ECDSA key with UnsupportedKeyType before the encrypt request' {
        $ecdsa = New-TestKey -KeyType ECDSA
        $before = Get-RequestCount $emulator

        $null = Protect-NcpKmsData -KeyTag $ecdsa.KeyTag -Plaintext 'x' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.UnsupportedKeyType,*'
        $failures[0].TargetObject | Should -Be $ecdsa.KeyTag
        $failures[0].Exception.Message | Should -Match 'ECDSA'
        @(Get-RequestSince $before | Where-Object Path -Like '*/encrypt').Count | Should -Be 0
    }

    It 'refuses a value that is neither text nor bytes' {
        Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext (Get-Date) } -ErrorId 'InvalidArgument' -KeyTag $aes.KeyTag
    }

    It 'reports a disabled key as InvalidKeyState for that item and goes on with the next' {
        $disabled = New-TestKey -Status DISABLE
        $items = @(
            [pscustomobject]@{ KeyTag = $disabled.KeyTag }
            [pscustomobject]@{ KeyTag = $aes.KeyTag }
        )

        $results = $items | Protect-NcpKmsData -Plaintext 'go on' -ErrorVariable failures -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 1
        $results.KeyTag | Should -Be $aes.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Be $disabled.KeyTag
    }

    It 'goes on with the next piped value after one that is too large' {
        $results = ('x' * 40000), 'small' | Protect-NcpKmsData -KeyTag $aes.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 1
        $failures.Count | Should -Be 1
        ($results | Unprotect-NcpKmsData -AsPlainText) | Should -Be 'small'
    }

    It 'rejects a malformed key tag before any request' {
        Assert-RefusedBeforeRequest { Protect-NcpKmsData -KeyTag 'a/b' -Plaintext 'x' } -ErrorId 'InvalidKeyTag' -KeyTag 'a/b'
    }
}

Describe 'Unprotect-NcpKmsData' {
    BeforeAll {
        $aes = New-TestKey
        $encrypted = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'decrypt me'
    }

    It 'writes a SecureString by default' {
        $result = Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $encrypted.Ciphertext

        $result | Should -BeOfType [securestring]
        ConvertFrom-TestSecureString $result | Should -BeExactly 'decrypt me'
    }

    It 'writes a string with -AsPlainText' {
        Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $encrypted.Ciphertext -AsPlainText | Should -BeExactly 'decrypt me'
    }

    It 'writes one byte array with -AsByteArray, not its bytes one by one' {
        $result = @(Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $encrypted.Ciphertext -AsByteArray)

        $result.Count | Should -Be 1
        $result[0].GetType() | Should -Be ([byte[]])
        [System.Text.Encoding]::UTF8.GetString($result[0]) | Should -BeExactly 'decrypt me'
    }

    It 'does not take -AsPlainText and -AsByteArray together' {
        { Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $encrypted.Ciphertext -AsPlainText -AsByteArray } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,NcpKms.Commands.UnprotectNcpKmsData'
    }

    It 'takes ciphertext strings from the pipeline' {
        $second = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'second'

        $encrypted.Ciphertext, $second.Ciphertext | Unprotect-NcpKmsData -KeyTag $aes.KeyTag -AsPlainText | Should -Be @('decrypt me', 'second')
    }

    It 'accepts a ciphertext read from a file with its line break' {
        Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext ($encrypted.Ciphertext + "`r`n") -AsPlainText | Should -BeExactly 'decrypt me'
    }

    It 'refuses a ciphertext without the ncpkms:vN: prefix before any request: <Ciphertext>' -ForEach @(
        @{ Ciphertext = 'dGVzdA==' }, @{ Ciphertext = 'ncpkms:1:AAAA' }, @{ Ciphertext = 'ncpkms:v1:' }, @{ Ciphertext = '' }
    ) {
        Assert-RefusedBeforeRequest { Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $Ciphertext } -ErrorId 'InvalidCiphertext' -KeyTag $aes.KeyTag
    }

    It 'refuses bytes that are not text instead of altering them, and suggests -AsByteArray' {
        $binary = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext ([byte[]](0xFF, 0xFE, 0xC0))

        $result = $binary | Unprotect-NcpKmsData -AsPlainText -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.DecodingFailed,*'
        $failures[0].Exception.Message | Should -Match '-AsByteArray'
    }

    It 'writes the service error for a ciphertext of another key, with the key tag as target' {
        $other = New-TestKey
        $foreign = Protect-NcpKmsData -KeyTag $other.KeyTag -Plaintext 'not yours'

        $result = Unprotect-NcpKmsData -KeyTag $aes.KeyTag -Ciphertext $foreign.Ciphertext -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures[0].TargetObject | Should -Be $aes.KeyTag
    }

    It 'refuses a decrypt with an ECDSA key before the decrypt request' {
        $ecdsa = New-TestKey -KeyType ECDSA
        $null = Get-NcpKmsPublicKey -KeyTag $ecdsa.KeyTag

        Assert-RefusedBeforeRequest { Unprotect-NcpKmsData -KeyTag $ecdsa.KeyTag -Ciphertext $encrypted.Ciphertext } -ErrorId 'UnsupportedKeyType' -KeyTag $ecdsa.KeyTag
    }
}

Describe 'Update-NcpKmsCiphertext and rotation' {
    It 'keeps old ciphertexts readable after a rotation and re-encrypts them under the new version' {
        $key = New-TestKey
        $old = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'rotate me'
        $old.KeyVersion | Should -Be 1

        $rotation = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag
        $decryptedOld = $old | Unprotect-NcpKmsData -AsPlainText
        $new = $old | Update-NcpKmsCiphertext

        $rotation.Version | Should -Be 2
        $decryptedOld | Should -BeExactly 'rotate me'
        $new.PSObject.TypeNames[0] | Should -Be 'NcpKms.EncryptedData'
        $new.KeyTag | Should -Be $key.KeyTag
        $new.KeyVersion | Should -Be 2
        $new.Ciphertext | Should -Match '^ncpkms:v2:'
        ($new | Unprotect-NcpKmsData -AsPlainText) | Should -BeExactly 'rotate me'
        (Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext 'after').KeyVersion | Should -Be 2
    }

    It 're-encrypts ciphertext strings given by argument and by pipeline' {
        $key = New-TestKey
        $values = 'a', 'b' | Protect-NcpKmsData -KeyTag $key.KeyTag
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $one = Update-NcpKmsCiphertext -KeyTag $key.KeyTag -Ciphertext $values[0].Ciphertext
        $piped = $values.Ciphertext | Update-NcpKmsCiphertext -KeyTag $key.KeyTag

        $one.KeyVersion | Should -Be 2
        $piped.KeyVersion | Should -Be @(2, 2)
        ($piped | Unprotect-NcpKmsData -AsPlainText) | Should -Be @('a', 'b')
    }

    It 'refuses a malformed ciphertext before any request' {
        $key = New-TestKey

        Assert-RefusedBeforeRequest { Update-NcpKmsCiphertext -KeyTag $key.KeyTag -Ciphertext 'not-a-ciphertext' } -ErrorId 'InvalidCiphertext' -KeyTag $key.KeyTag
    }
}

Describe 'Convergent keys' {
    BeforeAll {
        $convergent = New-TestKey -Convergent
    }

    It 'gives the same ciphertext for the same plaintext and context' {
        $first = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'same input' -EncryptionContext 'tenant-42'
        $second = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'same input' -EncryptionContext 'tenant-42'
        $otherContext = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'same input' -EncryptionContext 'tenant-43'

        $second.Ciphertext | Should -BeExactly $first.Ciphertext
        $otherContext.Ciphertext | Should -Not -Be $first.Ciphertext
    }

    It 'treats a string context as its UTF-8 bytes' {
        $byString = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'ctx' -EncryptionContext '컨텍스트'
        $byBytes = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'ctx' -EncryptionContext ([System.Text.Encoding]::UTF8.GetBytes('컨텍스트'))

        $byBytes.Ciphertext | Should -BeExactly $byString.Ciphertext
    }

    It 'decrypts with the same context and fails with another one' {
        $encrypted = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'context bound' -EncryptionContext 'tenant-42'

        $encrypted | Unprotect-NcpKmsData -EncryptionContext 'tenant-42' -AsPlainText | Should -BeExactly 'context bound'
        $wrong = $encrypted | Unprotect-NcpKmsData -EncryptionContext 'tenant-99' -AsPlainText -ErrorVariable failures -ErrorAction SilentlyContinue
        $wrong | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures[0].TargetObject | Should -Be $convergent.KeyTag
    }

    It 're-encrypts with the same context' {
        $encrypted = Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'rekey' -EncryptionContext 'tenant-42'
        $null = Invoke-NcpKmsKeyRotation -KeyTag $convergent.KeyTag

        $new = $encrypted | Update-NcpKmsCiphertext -EncryptionContext 'tenant-42'

        $new.KeyVersion | Should -BeGreaterThan $encrypted.KeyVersion
        $new | Unprotect-NcpKmsData -EncryptionContext 'tenant-42' -AsPlainText | Should -BeExactly 'rekey'
    }

    It 'accepts a 50-byte context' {
        (Protect-NcpKmsData -KeyTag $convergent.KeyTag -Plaintext 'x' -EncryptionContext ([byte[]]::new(50))).Ciphertext | Should -Match '^ncpkms:'
    }
}

Describe 'New-NcpKmsDataKey' {
    BeforeAll {
        $aes = New-TestKey
    }

    It 'writes a 256-bit data key whose plaintext is a SecureString of its Base64 and whose ciphertext unwraps to the same bytes' {
        $dataKey = New-NcpKmsDataKey -KeyTag $aes.KeyTag

        $dataKey.PSObject.TypeNames[0] | Should -Be 'NcpKms.DataKey'
        $dataKey.KeyTag | Should -Be $aes.KeyTag
        $dataKey.KeyVersion | Should -Be 1
        $dataKey.Bits | Should -Be 256
        $dataKey.Plaintext | Should -BeOfType [securestring]
        $raw = [Convert]::FromBase64String((ConvertFrom-TestSecureString $dataKey.Plaintext))
        $raw.Length | Should -Be 32
        [Convert]::ToHexString(($dataKey | Unprotect-NcpKmsData -AsByteArray)) | Should -Be ([Convert]::ToHexString($raw))
        "$dataKey" | Should -Be $dataKey.Ciphertext
    }

    It 'writes the raw key bytes with -AsByteArray, of the size -Bits asks for: <Bits>' -ForEach @(@{ Bits = 128 }, @{ Bits = 256 }, @{ Bits = 512 }) {
        $dataKey = New-NcpKmsDataKey -KeyTag $aes.KeyTag -Bits $Bits -AsByteArray

        $dataKey.Bits | Should -Be $Bits
        $dataKey.Plaintext.GetType() | Should -Be ([byte[]])
        $dataKey.Plaintext.Length | Should -Be ($Bits / 8)
        [Convert]::ToHexString(($dataKey | Unprotect-NcpKmsData -AsByteArray)) | Should -Be ([Convert]::ToHexString($dataKey.Plaintext))
    }

    It 'returns no plaintext with -WithoutPlaintext' {
        $dataKey = New-NcpKmsDataKey -KeyTag $aes.KeyTag -WithoutPlaintext

        $dataKey.Plaintext | Should -BeNullOrEmpty
        $dataKey.Ciphertext | Should -Match '^ncpkms:v1:'
        @($dataKey | Unprotect-NcpKmsData -AsByteArray)[0].Length | Should -Be 32
    }

    It 'does not take -AsByteArray and -WithoutPlaintext together' {
        { New-NcpKmsDataKey -KeyTag $aes.KeyTag -AsByteArray -WithoutPlaintext } | Should -Throw -ErrorId 'AmbiguousParameterSet,NcpKms.Commands.NewNcpKmsDataKey'
    }

    It 'refuses a size that is not 128, 256 or 512 bits' {
        $before = Get-RequestCount $emulator

        { New-NcpKmsDataKey -KeyTag $aes.KeyTag -Bits 384 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.NewNcpKmsDataKey'

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'makes one data key per piped key tag, as strings or objects' {
        $second = New-TestKey

        $byValue = $aes.KeyTag, $second.KeyTag | New-NcpKmsDataKey -WithoutPlaintext
        $byName = Get-NcpKmsKey -KeyTag $second.KeyTag | New-NcpKmsDataKey -WithoutPlaintext

        $byValue.KeyTag | Should -Be @($aes.KeyTag, $second.KeyTag)
        $byName.KeyTag | Should -Be $second.KeyTag
    }

    It 'uses the current key version after a rotation' {
        $key = New-TestKey
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        (New-NcpKmsDataKey -KeyTag $key.KeyTag -WithoutPlaintext).KeyVersion | Should -Be 2
    }

    It 'never shows the plaintext key in its table, list or string form' {
        $dataKey = New-NcpKmsDataKey -KeyTag $aes.KeyTag -AsByteArray
        $base64 = [Convert]::ToBase64String($dataKey.Plaintext)
        $hex = [Convert]::ToHexString($dataKey.Plaintext)

        $table = $dataKey | Format-Table | Out-String -Width 4096
        $text = $table + "$dataKey" + $dataKey.ToString()

        $table | Should -Match 'Byte\[32\]'
        $text | Should -Not -Match ([regex]::Escape($base64))
        $text | Should -Not -Match $hex
    }

    It 'needs the context of a convergent key to unwrap' {
        $convergent = New-TestKey -Convergent

        $dataKey = New-NcpKmsDataKey -KeyTag $convergent.KeyTag -EncryptionContext 'box-7' -AsByteArray

        [Convert]::ToHexString(($dataKey | Unprotect-NcpKmsData -EncryptionContext 'box-7' -AsByteArray)) | Should -Be ([Convert]::ToHexString($dataKey.Plaintext))
    }

    It 'refuses an ECDSA key before the data key request' {
        $ecdsa = New-TestKey -KeyType ECDSA
        $null = Get-NcpKmsPublicKey -KeyTag $ecdsa.KeyTag

        Assert-RefusedBeforeRequest { New-NcpKmsDataKey -KeyTag $ecdsa.KeyTag } -ErrorId 'UnsupportedKeyType' -KeyTag $ecdsa.KeyTag
    }
}

Describe 'New-NcpKmsSignature and Test-NcpKmsSignature' {
    BeforeAll {
        $rsa = New-TestKey -KeyType RSA2048
        $ecdsa = New-TestKey -KeyType ECDSA
    }

    It 'signs with a <Type> key and verifies in one pipeline' -ForEach @(@{ Type = 'RSA2048' }, @{ Type = 'ECDSA' }) {
        $key = if ($Type -eq 'RSA2048') { $rsa } else { $ecdsa }
        $data = "release 1.4.2 $Type"

        $signature = New-NcpKmsSignature -KeyTag $key.KeyTag -Data $data

        $signature.PSObject.TypeNames[0] | Should -Be 'NcpKms.DataSignature'
        $signature.KeyTag | Should -Be $key.KeyTag
        $signature.KeyVersion | Should -Be 1
        "$signature" | Should -Be $signature.Signature
        $valid = $signature | Test-NcpKmsSignature -Data $data
        $valid | Should -BeOfType [bool]
        $valid | Should -BeTrue
        $signature | Test-NcpKmsSignature -Data "$data (tampered)" | Should -BeFalse
    }

    It 'signs a byte array as it is and verifies it only with the same bytes' {
        $digest = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes('document'))

        $signature = , $digest | New-NcpKmsSignature -KeyTag $rsa.KeyTag

        Test-NcpKmsSignature -KeyTag $rsa.KeyTag -Data $digest -Signature $signature.Signature | Should -BeTrue
        Test-NcpKmsSignature -KeyTag $rsa.KeyTag -Data ([Convert]::ToHexString($digest)) -Signature $signature.Signature | Should -BeFalse
    }

    It 'signs each piped value' {
        $signatures = 'one', 'two' | New-NcpKmsSignature -KeyTag $ecdsa.KeyTag

        $signatures.Count | Should -Be 2
        Test-NcpKmsSignature $ecdsa.KeyTag 'two' $signatures[1].Signature | Should -BeTrue
    }

    It 'verifies rows piped by property name' {
        $rows = 'alpha', 'beta' | ForEach-Object {
            [pscustomobject]@{ KeyTag = $rsa.KeyTag; Data = $_; Signature = (New-NcpKmsSignature -KeyTag $rsa.KeyTag -Data $_).Signature }
        }
        $rows[1].Signature = $rows[0].Signature

        $rows | Test-NcpKmsSignature | Should -Be @($true, $false)
    }

    It 'uses -Encoding on both sides' {
        $signature = New-NcpKmsSignature -KeyTag $rsa.KeyTag -Data '서명' -Encoding Unicode

        $signature | Test-NcpKmsSignature -Data '서명' -Encoding Unicode | Should -BeTrue
        $signature | Test-NcpKmsSignature -Data '서명' | Should -BeFalse
    }

    It 'still verifies a signature made before a rotation' {
        $key = New-TestKey -KeyType ECDSA
        $signature = New-NcpKmsSignature -KeyTag $key.KeyTag -Data 'before'
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $signature | Test-NcpKmsSignature -Data 'before' | Should -BeTrue
        (New-NcpKmsSignature -KeyTag $key.KeyTag -Data 'after').KeyVersion | Should -Be 2
    }

    It 'signs exactly 8 KB' {
        (New-NcpKmsSignature -KeyTag $rsa.KeyTag -Data ([byte[]]::new(8192))).Signature | Should -Match '^ncpkms:v1:'
    }

    It 'refuses 8 KB + 1 byte before any request, for <Name>' -ForEach @(
        @{ Name = 'New-NcpKmsSignature'; Command = { New-NcpKmsSignature -KeyTag $rsa.KeyTag -Data ([byte[]]::new(8193)) } }
        @{ Name = 'Test-NcpKmsSignature'; Command = { Test-NcpKmsSignature -KeyTag $rsa.KeyTag -Data ([byte[]]::new(8193)) -Signature 'ncpkms:v1:AAAA' } }
    ) {
        $failure = Assert-RefusedBeforeRequest $Command -ErrorId 'DataTooLarge' -KeyTag $rsa.KeyTag

        $failure.Exception.Message | Should -Match '-Data is 8193 bytes'
    }

    It 'refuses an AES256 key with UnsupportedKeyType before the <Name> request' -ForEach @(
        @{ Name = 'sign'; Send = { param($Tag) New-NcpKmsSignature -KeyTag $Tag -Data 'x' } }
        @{ Name = 'verify'; Send = { param($Tag) Test-NcpKmsSignature -KeyTag $Tag -Data 'x' -Signature 'ncpkms:v1:AAAA' } }
    ) {
        $aes = New-TestKey
        $null = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'learn the type'

        $failure = Assert-RefusedBeforeRequest { & $Send $aes.KeyTag } -ErrorId 'UnsupportedKeyType' -KeyTag $aes.KeyTag

        $failure.Exception.Message | Should -Match 'AES256'
    }

    It 'writes an error, not $false, when the signature cannot be checked' {
        $result = Test-NcpKmsSignature -KeyTag $rsa.KeyTag -Data 'x' -Signature 'garbage' -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures[0].TargetObject | Should -Be $rsa.KeyTag
    }
}

Describe 'Get-NcpKmsPublicKey' {
    BeforeAll {
        $rsa = New-TestKey -KeyType RSA2048
        $ecdsa = New-TestKey -KeyType ECDSA
        $outFolder = Join-Path $env:HOME 'pem'
        $null = New-Item -ItemType Directory -Path $outFolder
    }

    It 'gets the current public key of an RSA2048 key as a PEM that .NET can import' {
        $result = Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag

        $result.PSObject.TypeNames[0] | Should -Be 'NcpKms.PublicKeyInfo'
        $result.KeyTag | Should -Be $rsa.KeyTag
        $result.Version | Should -BeNullOrEmpty
        $result.PublicKey | Should -Match '^-----BEGIN PUBLIC KEY-----'
        $imported = [System.Security.Cryptography.RSA]::Create()
        $imported.ImportFromPem($result.PublicKey)
        $imported.KeySize | Should -Be 2048
    }

    It 'gets the public key that verifies an ECDSA signature of the same version' {
        $signature = New-NcpKmsSignature -KeyTag $ecdsa.KeyTag -Data 'check outside KMS'

        $result = $signature | Get-NcpKmsPublicKey

        $result.Version | Should -Be $signature.KeyVersion
        $ec = [System.Security.Cryptography.ECDsa]::Create()
        $ec.ImportFromPem($result.PublicKey)
        $ec.KeySize | Should -Be 256
    }

    It 'gets one public key per version piped from Get-NcpKmsKeyVersion' {
        $key = New-TestKey -KeyType ECDSA
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $keys = Get-NcpKmsKeyVersion -KeyTag $key.KeyTag | Get-NcpKmsPublicKey

        $keys.Version | Should -Be @(1, 2)
        $keys[0].PublicKey | Should -Not -Be $keys[1].PublicKey
        (Get-NcpKmsPublicKey -KeyTag $key.KeyTag).PublicKey | Should -Be $keys[1].PublicKey
    }

    It 'shows the key on one line in its table' {
        $table = Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -Version 1 | Format-Table | Out-String -Width 400

        $table | Should -Match 'Version\s+PublicKey\s+KeyTag'
        $table | Should -Not -Match 'BEGIN PUBLIC KEY'
    }

    It 'saves the PEM without a byte order mark and writes the FileInfo' {
        $path = Join-Path $outFolder 'rsa.pem'

        $file = Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -OutFile $path

        $file | Should -BeOfType [System.IO.FileInfo]
        $file.FullName | Should -Be $path
        $bytes = [System.IO.File]::ReadAllBytes($path)
        $bytes[0] | Should -Be ([byte][char]'-')
        [System.Text.Encoding]::ASCII.GetString($bytes) | Should -BeExactly ((Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag).PublicKey.TrimEnd("`n") + "`n")
    }

    It 'resolves a relative -OutFile against the current location' {
        Push-Location $outFolder
        try { $file = Get-NcpKmsPublicKey -KeyTag $ecdsa.KeyTag -OutFile 'relative.pem' }
        finally { Pop-Location }

        $file.FullName | Should -Be (Join-Path $outFolder 'relative.pem')
    }

    It 'refuses to overwrite an existing file without -Force, before any request' {
        $path = Join-Path $outFolder 'existing.pem'
        Set-Content -Path $path -Value 'keep me'
        $before = Get-RequestCount $emulator

        $result = Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -OutFile $path -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.OutFileExists,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content $path | Should -Be 'keep me'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'overwrites an existing file with -Force' {
        $path = Join-Path $outFolder 'forced.pem'
        Set-Content -Path $path -Value 'old content'

        $file = Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -OutFile $path -Force

        $file.Length | Should -BeGreaterThan 400
        Get-Content $path -Raw | Should -Match '^-----BEGIN PUBLIC KEY-----'
    }

    It 'ends with InvalidOutFile before any request when the folder does not exist' {
        $before = Get-RequestCount $emulator

        { Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -OutFile (Join-Path $outFolder 'missing/key.pem') } |
            Should -Throw -ErrorId 'NcpKms.InvalidOutFile,NcpKms.Commands.GetNcpKmsPublicKey'

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses a version outside 1 to 100' {
        { Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -Version 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.GetNcpKmsPublicKey'
    }

    It 'refuses an AES256 key before the public key request' {
        $aes = New-TestKey
        $null = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'learn the type'

        Assert-RefusedBeforeRequest { Get-NcpKmsPublicKey -KeyTag $aes.KeyTag } -ErrorId 'UnsupportedKeyType' -KeyTag $aes.KeyTag
    }

    It 'reports a disabled version as InvalidKeyState' {
        $key = New-TestKey -KeyType RSA2048
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag
        $disable = Invoke-RawKms -Emulator $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions/1/disable"
        $disable.StatusCode | Should -Be 200

        $null = Get-NcpKmsPublicKey -KeyTag $key.KeyTag -Version 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $failures[0].TargetObject | Should -Be $key.KeyTag
    }
}

Describe 'Token authentication' {
    BeforeAll {
        $aes = New-TestKey
        $rsa = New-TestKey -KeyType RSA2048
        $aesToken = New-TestAccessToken $aes
        $rsaToken = New-TestAccessToken $rsa
        $aesSecure = ConvertTo-TestSecureString $aesToken
        $rsaSecure = ConvertTo-TestSecureString $rsaToken

        # A loopback server that records the headers of each request and answers like Encrypt, to see exactly
        # what the module puts on the wire.
        function Invoke-WithHeaderCapture([scriptblock] $Script) {
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
            $listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            $listener.Start()
            $captured = [System.Collections.Concurrent.ConcurrentQueue[hashtable]]::new()
            $job = Start-ThreadJob -ArgumentList $listener, $captured -ScriptBlock {
                param($l, $queue)
                while ($l.IsListening) {
                    try { $context = $l.GetContext() } catch { break }
                    $headers = @{}
                    foreach ($name in $context.Request.Headers.AllKeys) { $headers[$name.ToLowerInvariant()] = $context.Request.Headers[$name] }
                    $queue.Enqueue($headers)
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes('{"code":"SUCCESS","data":{"ciphertext":"ncpkms:v1:AAAA"}}')
                    $context.Response.ContentType = 'application/json'
                    $context.Response.ContentLength64 = $bytes.Length
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }
            try {
                $null = & $Script "http://127.0.0.1:$port"
                , $captured.ToArray()
            }
            finally {
                $listener.Stop(); $listener.Close()
                $null = $job | Wait-Job -Timeout 5
                $job | Remove-Job -Force
            }
        }
    }

    It 'sends x-ncp-ocapi-token and no signature headers' {
        $headers = Invoke-WithHeaderCapture {
            param($endpoint)
            $context = Connect-TestEmulator @{ Endpoint = $endpoint; AccessKey = 'UNUSEDACCESSKEY'; SecretKey = 'unused' } -PassThru
            Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'x' -Token $aesSecure -Context $context
        }

        $headers.Count | Should -Be 1
        $headers[0]['x-ncp-ocapi-token'] | Should -BeExactly $aesToken
        $headers[0].Keys | Should -Not -Contain 'x-ncp-apigw-signature-v2'
        $headers[0].Keys | Should -Not -Contain 'x-ncp-apigw-timestamp'
        $headers[0].Keys | Should -Not -Contain 'x-ncp-iam-access-key'
    }

    It 'takes the token from NCLOUD_KMS_TOKEN when no connection is set up' {
        Disconnect-NcpKms
        $env:NCLOUD_KMS_TOKEN = $aesToken
        try {
            $headers = Invoke-WithHeaderCapture {
                param($endpoint)
                $env:NCLOUD_KMS_ENDPOINT = $endpoint
                Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'x'
            }
        }
        finally {
            $env:NCLOUD_KMS_TOKEN = $null
            $env:NCLOUD_KMS_ENDPOINT = $null
            Connect-TestEmulator $emulator
        }

        $headers[0]['x-ncp-ocapi-token'] | Should -BeExactly $aesToken
        $headers[0].Keys | Should -Not -Contain 'x-ncp-apigw-signature-v2'
    }

    It 'encrypts, decrypts, re-encrypts and makes data keys with an access token' {
        $before = Get-RequestCount $emulator

        $encrypted = Protect-NcpKmsData -KeyTag $aes.KeyTag -Plaintext 'token secret' -Token $aesSecure
        $decrypted = $encrypted | Unprotect-NcpKmsData -AsPlainText -Token $aesSecure
        $updated = $encrypted | Update-NcpKmsCiphertext -Token $aesSecure
        $dataKey = New-NcpKmsDataKey -KeyTag $aes.KeyTag -AsByteArray -Token $aesSecure

        $decrypted | Should -BeExactly 'token secret'
        $updated.Ciphertext | Should -Match '^ncpkms:v1:'
        $dataKey.Plaintext.Length | Should -Be 32
        $requests = Get-RequestSince $before
        $requests.Count | Should -Be 4 -Because 'a token cannot read key info, so no Get Key Info is sent'
        $requests | ForEach-Object { $_.Authenticated | Should -BeTrue; $_.AccessKey | Should -BeNullOrEmpty }
    }

    It 'signs, verifies and gets the public key with an access token' {
        $signature = New-NcpKmsSignature -KeyTag $rsa.KeyTag -Data 'signed with a token' -Token $rsaSecure

        $signature | Test-NcpKmsSignature -Data 'signed with a token' -Token $rsaSecure | Should -BeTrue
        (Get-NcpKmsPublicKey -KeyTag $rsa.KeyTag -Token $rsaSecure).PublicKey | Should -Match 'BEGIN PUBLIC KEY'
    }

    It 'checks only the 32 KB limit with a token, leaving the RSA2048 limit to the service' {
        $key = New-TestKey -KeyType RSA2048
        $token = ConvertTo-TestSecureString (New-TestAccessToken $key)
        $before = Get-RequestCount $emulator

        $null = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext ('x' * 191) -Token $token -ErrorVariable failures -ErrorAction SilentlyContinue
        $tooLarge = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext ([byte[]]::new(32769)) -Token $token -ErrorVariable +failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*' -Because 'the service refused the 191 bytes'
        $failures[1].FullyQualifiedErrorId | Should -BeLike 'NcpKms.PlaintextTooLarge,*'
        $tooLarge | Should -BeNullOrEmpty
        @(Get-RequestSince $before).Path | Should -Be "/kms/v1/keys/$($key.KeyTag)/encrypt" -Because 'only the 191-byte request was sent'
    }

    It 'reports a token for another key as AuthenticationFailed' {
        $null = Protect-NcpKmsData -KeyTag $rsa.KeyTag -Plaintext 'x' -Token $aesSecure -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
        $failures[0].TargetObject | Should -Be $rsa.KeyTag
    }
}

Describe 'Secrets in the crypto cmdlets' {
    BeforeAll {
        $key = New-TestKey
        $token = New-TestAccessToken $key
        $plaintext = 'Pl41n-' + [guid]::NewGuid().ToString('n')
        $plainBase64 = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($plaintext))
    }

    It 'never writes plaintext, a decrypted value, a data key or a token to any stream under -Verbose -Debug' {
        # The plaintext goes in as a SecureString: PowerShell itself keeps every bound parameter value in the
        # InvocationInfo of the records a cmdlet writes, which Get-AllStreamText serializes (see the next test).
        $secure = ConvertTo-TestSecureString $plaintext
        $kept = @{}

        $text = Get-AllStreamText {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            $encrypted = Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext $secure -Verbose -Debug
            $encrypted
            $encrypted | Unprotect-NcpKmsData -Verbose -Debug
            $encrypted | Update-NcpKmsCiphertext -Verbose -Debug
            $kept.DataKey = New-NcpKmsDataKey -KeyTag $key.KeyTag -Verbose -Debug
            $kept.DataKey
            $kept.DataKey | Format-List * | Out-String
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext (ConvertTo-TestSecureString ($plaintext * 1000)) -Verbose -Debug -ErrorAction Continue
            $encrypted | Unprotect-NcpKmsData -Token (ConvertTo-TestSecureString $token) -Verbose -Debug
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext $secure -Token (ConvertTo-TestSecureString ($token + 'x')) -Verbose -Debug -ErrorAction Continue
            New-NcpKmsDataKey -KeyTag $key.KeyTag -Token (ConvertTo-TestSecureString $token) -Verbose -Debug
        }
        $dataKeyBase64 = ConvertFrom-TestSecureString $kept.DataKey.Plaintext

        $text | Should -Match "Encrypting $($plaintext.Length) bytes with AES256 key '$($key.KeyTag)'"
        $text | Should -Match 'Decrypted \d+ bytes'
        $text | Should -Match 'Creating a 256-bit data key'
        $text | Should -Match 'access token \(-Token\)'
        $text | Should -Match '-Plaintext is \d+ bytes, over the limit'
        $text | Should -Match 'HTTP 401'
        $text | Should -Not -Match ([regex]::Escape($plaintext))
        $text | Should -Not -Match ([regex]::Escape($plainBase64))
        $text | Should -Not -Match ([regex]::Escape($dataKeyBase64))
        $text | Should -Not -Match ([regex]::Escape($token))
    }

    It 'keeps a plaintext given as a string out of every message, verbose or error' {
        $records = & {
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext $plaintext -Verbose -Debug
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext ($plaintext * 1000) -ErrorAction Continue
            Protect-NcpKmsData -KeyTag $key.KeyTag -Plaintext $plaintext -Encoding ascii -EncryptionContext ($plaintext * 2) -ErrorAction Continue
        } *>&1
        $messages = foreach ($record in $records) {
            "$record"
            if ($record -is [System.Management.Automation.ErrorRecord]) { $record.Exception.ToString(); "$($record.ErrorDetails)" }
        }

        @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 2
        ($messages -join "`n") | Should -Match 'Encrypting'
        ($messages -join "`n") | Should -Not -Match ([regex]::Escape($plaintext))
    }
}

Describe 'Crypto cmdlet conventions' {
    It '<Name> takes -Token as a SecureString and -Context, and has no -WhatIf' -ForEach @(
        'Protect-NcpKmsData', 'Unprotect-NcpKmsData', 'Update-NcpKmsCiphertext', 'New-NcpKmsDataKey',
        'New-NcpKmsSignature', 'Test-NcpKmsSignature', 'Get-NcpKmsPublicKey' | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name

        $command.Parameters['Token'].ParameterType | Should -Be ([securestring])
        $command.Parameters['Context'].ParameterType.FullName | Should -Be 'NcpKms.Context'
        $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        $keyTag = $command.Parameters['KeyTag'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $keyTag.Mandatory | Should -BeTrue
        $keyTag.Position | Should -Be 0
        $keyTag.ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It '<Name> completes -Encoding names on Tab' -ForEach @(
        'Protect-NcpKmsData', 'Unprotect-NcpKmsData', 'New-NcpKmsSignature', 'Test-NcpKmsSignature' | ForEach-Object { @{ Name = $_ } }
    ) {
        $line = "$Name -Encoding uni"

        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches

        $completions.CompletionText | Should -Contain 'unicode'
    }
}
