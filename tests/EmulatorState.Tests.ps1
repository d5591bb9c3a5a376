#Requires -Version 7.4
# The emulator's state file (Start-NcpKmsEmulator -StatePath): keys, versions, key material, token generators
# and IP ACLs survive a stop and a start; every change is in the file before its answer; the file is versioned
# JSON, owner-only on Unix, and a bad file is refused with an error that says what is wrong.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Initialize-TestSession

    function New-StatePath { Join-Path $TestDrive ('state-' + [guid]::NewGuid().ToString('n') + '.json') }

    function Read-StateFile([string] $Path) { Get-Content -Raw $Path | ConvertFrom-Json }

    function ConvertTo-Base64Text([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }

    function New-ApiKey([string] $Name, [string] $KeyType = 'AES256') {
        $body = @{ keyName = $Name; keyType = $KeyType; protectionType = 'BASIC'; isAutoRotation = $false } | ConvertTo-Json -Compress
        (Invoke-RawKms $script:emulator -Method POST -RequestUri '/kms/v1/keys' -Body $body).Json.data
    }

    # Starts an emulator on the path, lets the script block use it as $emulator, and stops it.
    function Use-StateEmulator([string] $Path, [scriptblock] $Script) {
        $script:emulator = Start-NcpKmsEmulator -StatePath $Path
        try { & $Script } finally { Stop-NcpKmsEmulator $script:emulator }
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Keys kept between runs' {
    BeforeAll {
        $path = New-StatePath
        $script:plain = ConvertTo-Base64Text 'kept across runs'
        $script:first = @{}
        Use-StateEmulator $path {
            $first.Aes = New-ApiKey 'app-web'
            $first.Old = (Invoke-Key $first.Aes.keyTag encrypt -Data @{ plaintext = $plain }).Json.data.ciphertext
            $null = Invoke-Key $first.Aes.keyTag rotate
            $first.New = (Invoke-Key $first.Aes.keyTag encrypt -Data @{ plaintext = $plain }).Json.data.ciphertext
            $first.Ec = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'signer' -KeyType ECDSA -VersionCount 3 -Status DISABLE
            $null = Invoke-Key $first.Ec enable
            $first.Signature = (Invoke-Key $first.Ec sign -Data @{ data = $plain }).Json.data.signature
            $null = Invoke-Key $first.Aes.keyTag token-generator
            $first.Generator = (Invoke-Key $first.Aes.keyTag token-generator -Method GET).Json.data
            $first.Tokens = (Invoke-Key $first.Aes.keyTag token-set -Data @{}).Json.data
            $null = Invoke-Key $first.Aes.keyTag acl -Data @{ ipList = @('127.0.0.1', '10.0.0.7') }
            $null = Invoke-Key $first.Aes.keyTag acl/enable
            $first.KeystoreId = (Invoke-Key $first.Aes.keyTag -Method GET).Json.data.keystoreId
        }
        $script:emulator = Start-NcpKmsEmulator -StatePath $path
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'brings back every key with its tag, name, status, versions and keystore id' {
        $keys = (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList
        $keys.keyName | Should -Be @('app-web', 'signer')
        $keys.keyTag | Should -Be @($first.Aes.keyTag, $first.Ec.KeyTag)
        (Invoke-Key $first.Aes.keyTag versions -Method GET).Json.data.currentVersion | Should -Be 2
        (Invoke-Key $first.Ec versions -Method GET).Json.data.currentVersion | Should -Be 3
        (Invoke-Key $first.Ec -Method GET).Json.data.status | Should -Be 'ENABLE'
        (Invoke-Key $first.Aes.keyTag -Method GET).Json.data.keystoreId | Should -Be $first.KeystoreId
    }

    It 'decrypts ciphertexts of every version made before the restart' {
        foreach ($ciphertext in $first.Old, $first.New) {
            (Invoke-Key $first.Aes.keyTag decrypt -Data @{ ciphertext = $ciphertext }).Json.data.plaintext | Should -Be $plain
        }
        $first.Old | Should -Match '^ncpkms:v1:'
        $first.New | Should -Match '^ncpkms:v2:'
    }

    It 'verifies a signature made before the restart' {
        (Invoke-Key $first.Ec verify -Data @{ data = $plain; signature = $first.Signature }).Json.data.valid | Should -BeTrue
    }

    It 'keeps the token generator, and tokens issued before the restart still authenticate' {
        $generator = (Invoke-Key $first.Aes.keyTag token-generator -Method GET).Json.data
        $generator.tokenGeneratorId | Should -Be $first.Generator.tokenGeneratorId
        $generator.issuedTokenCount | Should -Be 2
        $r = Invoke-Key $first.Aes.keyTag encrypt -Data @{ plaintext = $plain } -Token $first.Tokens.accessToken
        $r.StatusCode | Should -Be 200
    }

    It 'keeps the IP ACL' {
        $acl = (Invoke-Key $first.Aes.keyTag acl -Method GET).Json.data
        $acl.isAclEnabled | Should -BeTrue
        $acl.allowedIpList | Should -Be @('127.0.0.1', '10.0.0.7')
    }

    It 'continues key ids after the saved ones, and keeps their names taken' {
        $saved = (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList.keyId
        (New-ApiKey 'app-api').keyId | Should -BeGreaterThan ($saved | Measure-Object -Maximum).Maximum
        { Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'signer' } | Should -Throw -ExpectedMessage '*already exists*'
    }
}

Describe 'Writing the state file' {
    AfterEach { Stop-NcpKmsEmulator }

    It 'writes each change to the file before answering it' {
        $path = New-StatePath
        $script:emulator = Start-NcpKmsEmulator -StatePath $path
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rotated'
        (Read-StateFile $path).keys.keyName | Should -Be 'rotated'
        $null = Invoke-Key $key rotate
        @((Read-StateFile $path).keys[0].versions).Count | Should -Be 2
    }

    It 'has the rotation in the file when the answer was dropped after it' {
        $path = New-StatePath
        $script:emulator = Start-NcpKmsEmulator -StatePath $path
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        Set-NcpKmsEmulatorFault $emulator -DropCount 1 -DropWhen After -Path '*/rotate'
        { Invoke-Key $key rotate } | Should -Throw
        @((Read-StateFile $path).keys[0].versions).Count | Should -Be 2
    }

    It 'writes versioned JSON that warns about the key material, with the material of used versions only' {
        $path = New-StatePath
        $script:emulator = Start-NcpKmsEmulator -StatePath $path
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -KeyType RSA2048 -VersionCount 2
        $state = Read-StateFile $path
        $state.format | Should -Be 'NcpKms.Emulator.State'
        $state.version | Should -Be 1
        $state.warning | Should -Match 'Test key material'
        $state.keys[0].versions.secret | Should -Be @($null, $null) -Because 'RSA keys are made on first use, not to be saved'
        $null = Invoke-Key $key get-pub-key -Data @{}
        $saved = (Read-StateFile $path).keys[0].versions
        $saved[0].secret | Should -BeNullOrEmpty
        $saved[1].secret | Should -Not -BeNullOrEmpty -Because 'using version 2 made its key, which the file must keep'
    }

    It 'creates the file readable and writable by its owner only' -Skip:$IsWindows {
        $path = New-StatePath
        $script:emulator = Start-NcpKmsEmulator -StatePath $path
        (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        $null = Add-NcpKmsEmulatorKey -Emulator $emulator
        (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        Get-ChildItem (Split-Path $path) -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'seeds -KeyCount keys only when the file does not exist yet' {
        $path = New-StatePath
        Stop-NcpKmsEmulator (Start-NcpKmsEmulator -StatePath $path -KeyCount 2)
        $script:emulator = Start-NcpKmsEmulator -StatePath $path -KeyCount 2
        (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data.keyList.keyName | Should -Be @('key0001', 'key0002')
    }

    It 'resolves a relative path against the current location and reports it' {
        Push-Location $TestDrive
        try {
            $script:emulator = Start-NcpKmsEmulator -StatePath 'relative.json'
        } finally {
            Pop-Location
        }
        $emulator.StatePath | Should -Be (Join-Path $TestDrive 'relative.json')
        Test-Path $emulator.StatePath | Should -BeTrue
    }

    It 'keeps keys in memory only without -StatePath' {
        (Start-NcpKmsEmulator).StatePath | Should -BeNullOrEmpty
    }
}

Describe 'Refusing a state file' {
    AfterEach { Stop-NcpKmsEmulator }

    It 'refuses <Case> with InvalidStateFile, naming the file and the problem, and leaves the file alone' -TestCases @(
        @{ Case = 'a file that is not JSON'; Content = 'not json {'; Message = '*not valid JSON*' }
        @{ Case = 'JSON of another format'; Content = '{"format":"something-else","version":1}'; Message = "*`$.format: expected 'NcpKms.Emulator.State'*" }
        @{ Case = 'a newer format version'; Content = '{"format":"NcpKms.Emulator.State","version":2}'; Message = '*reads format version 1*the file has version 2*' }
        @{ Case = 'a key without versions'; Content = '{"format":"NcpKms.Emulator.State","version":1,"keys":[{"keyType":"AES256","versions":[]}]}'; Message = '*$.keys`[0`].versions*' }
    ) {
        $path = New-StatePath
        Set-Content -Path $path -Value $Content -NoNewline
        { Start-NcpKmsEmulator -StatePath $path } |
            Should -Throw -ErrorId 'InvalidStateFile,NcpKms.Emulator.Commands.StartNcpKmsEmulatorCommand' -ExpectedMessage $Message
        { Start-NcpKmsEmulator -StatePath $path } | Should -Throw -ExpectedMessage "*$path*"
        Get-Content -Raw $path | Should -BeExactly $Content
    }

    It 'names the JSON path of a value a saved file breaks' {
        $path = New-StatePath
        Stop-NcpKmsEmulator (Start-NcpKmsEmulator -StatePath $path -KeyCount 1)
        (Get-Content -Raw $path) -replace '"keyType": "AES256"', '"keyType": "AES128"' | Set-Content -Path $path -NoNewline
        { Start-NcpKmsEmulator -StatePath $path } | Should -Throw -ExpectedMessage '*$.keys`[0`].keyType: expected one of AES256, RSA2048, ECDSA*'
    }

    It 'refuses key material that is not a key of the type' {
        $path = New-StatePath
        $emulator = Start-NcpKmsEmulator -StatePath $path
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-Key $key encrypt -Data @{ plaintext = 'AAAA' } -Emulator $emulator
        Stop-NcpKmsEmulator $emulator
        $state = Read-StateFile $path
        $state.keys[0].versions[0].secret = [Convert]::ToBase64String([byte[]]::new(16))
        $state | ConvertTo-Json -Depth 6 | Set-Content -Path $path
        { Start-NcpKmsEmulator -StatePath $path } | Should -Throw -ExpectedMessage '*$.keys`[0`].versions`[0`].secret*'
    }

    It 'refuses a path that a running emulator already uses' {
        $path = New-StatePath
        $running = Start-NcpKmsEmulator -StatePath $path
        { Start-NcpKmsEmulator -StatePath $path } |
            Should -Throw -ErrorId 'StatePathInUse,NcpKms.Emulator.Commands.StartNcpKmsEmulatorCommand' -ExpectedMessage "*$($running.Endpoint)*"
    }

    It 'fails at start when the file cannot be written, and leaves no emulator running' {
        $path = Join-Path $TestDrive 'no-such-folder/state.json'
        { Start-NcpKmsEmulator -StatePath $path } |
            Should -Throw -ErrorId 'StateFileUnavailable,NcpKms.Emulator.Commands.StartNcpKmsEmulatorCommand' -ExpectedMessage "*$path*"
        Stop-NcpKmsEmulator -PassThru | Should -BeNullOrEmpty
    }
}
