#Requires -Version 7.4
# Tests of NcpKms.Emulator itself, over raw HTTP. Requests are signed by the small PowerShell signer of
# Common.ps1, written from reference §3.2 and checked here against the §3.4 known-answer vectors, so the
# emulator's C# verifier is tested against an independent implementation.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Initialize-TestSession

    $script:KmsContentType = 'application/json;charset=UTF-8'

    function Get-Header($Response, [string] $Name) { @($Response.Headers[$Name])[0] }

    function New-CreateKeyBody {
        param([hashtable] $Override = @{}, [string[]] $Remove = @())
        $body = [ordered]@{ keyName = 'app-key'; keyType = 'AES256'; protectionType = 'BASIC'; isAutoRotation = $false }
        foreach ($name in $Override.Keys) { $body[$name] = $Override[$name] }
        foreach ($name in $Remove) { $body.Remove($name) }
        $body | ConvertTo-Json -Compress
    }

    # Raw HTTP/1.1 over a socket, for what Invoke-WebRequest cannot express (chunked bodies, pipelining, 100-continue).
    function New-SignedHead {
        param($Emulator, [string] $Method, [string] $RequestUri, [string[]] $ExtraHeaders = @())
        $timestamp = Get-TestTimestamp -Offset $Emulator.ClockSkew
        $signature = Get-TestSignature -SecretKey $Emulator.SecretKey -Method $Method -RequestUri $RequestUri -Timestamp $timestamp -AccessKey $Emulator.AccessKey
        $lines = @("$Method $RequestUri HTTP/1.1", "Host: 127.0.0.1:$($Emulator.Port)",
            "x-ncp-apigw-timestamp: $timestamp", "x-ncp-iam-access-key: $($Emulator.AccessKey)",
            "x-ncp-apigw-signature-v2: $signature") + $ExtraHeaders
        ($lines -join "`r`n") + "`r`n`r`n"
    }

    function Send-Ascii($Stream, [string] $Text) {
        $bytes = [System.Text.Encoding]::ASCII.GetBytes($Text)
        $Stream.Write($bytes, 0, $bytes.Length)
        $Stream.Flush()
    }

    # Reads one response (head, then a Content-Length body) byte by byte: slow, but it never reads past the response.
    function Read-RawResponse($Stream) {
        $head = [System.Text.StringBuilder]::new()
        while (-not $head.ToString().EndsWith("`r`n`r`n")) {
            $b = $Stream.ReadByte()
            if ($b -lt 0) { throw "Connection closed after: $head" }
            $null = $head.Append([char] $b)
        }
        $lines = $head.ToString().TrimEnd() -split "`r`n"
        $headers = @{}
        foreach ($line in $lines[1..($lines.Count - 1)]) {
            $name, $value = $line -split ':\s*', 2
            $headers[$name] = $value
        }
        $length = if ($headers['Content-Length']) { [int] $headers['Content-Length'] } else { 0 }
        $body = [byte[]]::new($length)
        $read = 0
        while ($read -lt $length) {
            $n = $Stream.Read($body, $read, $length - $read)
            if ($n -le 0) { throw 'Connection closed inside the body' }
            $read += $n
        }
        [pscustomobject]@{
            StatusCode = [int] ($lines[0] -split ' ')[1]
            Headers    = $headers
            Body       = [System.Text.Encoding]::UTF8.GetString($body)
        }
    }

    function Test-StreamClosed($Stream) {
        try { $Stream.ReadByte() -lt 0 } catch { $true }
    }

    function Connect-Raw($Emulator) {
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Emulator.Port)
        $client.ReceiveTimeout = 5000
        $client
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'The test signer' {
    It 'reproduces known-answer vector <Name>' -TestCases @(
        @{ Name = 'V1'; Secret = 'ncp-secret-example'; Access = 'ACCESS_KEY_ID'; Method = 'GET'; Uri = '/photos/puppy.jpg?query1=&query2'; Timestamp = '1700000000000'; Expected = 'iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE=' }
        @{ Name = 'V2'; Secret = 'SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR'; Access = 'ACCESSKEYACCESSKEYAC'; Method = 'POST'; Uri = '/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate'; Timestamp = '1733462407906'; Expected = 'zquU/Q9LBlw5lQw5l+fZq+mqcnP5i9m1cToKDSuazPs=' }
        @{ Name = 'V3'; Secret = 'SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR'; Access = 'ACCESSKEYACCESSKEYAC'; Method = 'GET'; Uri = '/kms/v1/keys?pageNo=1&pageSize=1'; Timestamp = '1733462407906'; Expected = 'Q+xmpxV7HWLF+L9sYHKm0Oj+gGIbhxYWqxzhBrG7+SI=' }
    ) {
        Get-TestSignature -SecretKey $Secret -Method $Method -RequestUri $Uri -Timestamp $Timestamp -AccessKey $Access | Should -BeExactly $Expected
    }
}

Describe 'Known-answer vectors against the emulator' {
    BeforeAll {
        # The emulator clock is moved back to the vectors' timestamp, so their literal signatures are current.
        $vectorTime = [DateTimeOffset]::FromUnixTimeMilliseconds(1733462407906)
        $script:emulator = Start-NcpKmsEmulator -AccessKey 'ACCESSKEYACCESSKEYAC' -SecretKey 'SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR' `
            -ClockSkew ($vectorTime - [DateTimeOffset]::UtcNow) -KeyCount 2
        $script:v2Uri = '/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'accepts the V3 signature for GET /kms/v1/keys?pageNo=1&pageSize=1' {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=1&pageSize=1' -Timestamp '1733462407906' -Signature 'Q+xmpxV7HWLF+L9sYHKm0Oj+gGIbhxYWqxzhBrG7+SI='
        $r.StatusCode | Should -Be 200
        $r.Json.data.keyList.Count | Should -Be 1
    }

    It 'accepts the V2 signature (authenticated, then 404 because no such key exists)' {
        $r = Invoke-RawKms $emulator -Method POST -RequestUri $v2Uri -Timestamp '1733462407906' -Signature 'zquU/Q9LBlw5lQw5l+fZq+mqcnP5i9m1cToKDSuazPs='
        Assert-KmsError $r 404 'NOT_FOUND' 'Not found'
    }

    It 'refuses the signature made with <Mistake>' -TestCases @(
        @{ Mistake = 'a trailing newline'; Method = 'POST'; Uri = '/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate'; Signature = 'GEVIOQUmfUtgxew+5/HRdmzMFzTaCBWCeTHomyWLdls=' }
        @{ Mistake = 'the /kms/v1 prefix left out'; Method = 'POST'; Uri = '/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate'; Signature = '6LZHyDlWkGO5YwVtWehz5yKcBJ/kSWdWph5a+srWiFI=' }
        @{ Mistake = 'the query left out'; Method = 'GET'; Uri = '/kms/v1/keys?pageNo=1&pageSize=1'; Signature = '7JXbIGRA5Iu1IAOLVoN7923+38obM/ktZ3b6e9yTvmc=' }
    ) {
        $r = Invoke-RawKms $emulator -Method $Method -RequestUri $Uri -Timestamp '1733462407906' -Signature $Signature
        Assert-AuthenticationFailed $r
    }
}

Describe 'Authentication' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator -KeyCount 2 }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'accepts a correctly signed request' {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=1&pageSize=10'
        $r.StatusCode | Should -Be 200
        $r.Json.code | Should -Be 'SUCCESS'
    }

    It 'refuses a signature made with the wrong secret' {
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -SecretKey 'not-the-secret')
    }

    It 'refuses an unknown access key' {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -AccessKey 'UNKNOWNACCESSKEY0000'
        Assert-AuthenticationFailed $r
        $r.Json.error.details | Should -Match 'access key'
    }

    It 'refuses a request without the <Header> header' -TestCases @(
        @{ Header = 'x-ncp-apigw-timestamp' }
        @{ Header = 'x-ncp-iam-access-key' }
        @{ Header = 'x-ncp-apigw-signature-v2' }
    ) {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Omit $Header
        Assert-AuthenticationFailed $r
        $r.Json.error.details | Should -Match ([regex]::Escape($Header))
    }

    It 'refuses a timestamp <Name>' -TestCases @(
        @{ Name = '6 minutes old'; Offset = [TimeSpan]::FromMinutes(-6) }
        @{ Name = '6 minutes ahead'; Offset = [TimeSpan]::FromMinutes(6) }
    ) {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp (Get-TestTimestamp -Offset $Offset)
        Assert-AuthenticationFailed $r
        $r.Json.error.details | Should -Match '5 minutes'
    }

    It 'accepts a timestamp 4 minutes old' {
        (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp (Get-TestTimestamp -Offset ([TimeSpan]::FromMinutes(-4)))).StatusCode | Should -Be 200
    }

    It 'refuses a timestamp in <Name>' -TestCases @(
        @{ Name = 'seconds'; Value = { [DateTimeOffset]::UtcNow.ToUnixTimeSeconds().ToString() } }
        @{ Name = 'ISO-8601'; Value = { [DateTimeOffset]::UtcNow.ToString('o') } }
    ) {
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp (& $Value))
    }

    It 'refuses a request whose signature covers the path without the query' {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=1&pageSize=10' -SignedUri '/kms/v1/keys'
        Assert-AuthenticationFailed $r
        $r.Json.error.details | Should -Match 'Signature'
    }

    It 'refuses a request whose signature covers another method' {
        $timestamp = Get-TestTimestamp
        $signature = Get-TestSignature -SecretKey $emulator.SecretKey -Method 'POST' -RequestUri '/kms/v1/keys' -Timestamp $timestamp -AccessKey $emulator.AccessKey
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp $timestamp -Signature $signature)
    }

    It 'authenticates before routing, so an unsigned request to an unknown path gets 401' {
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/no/such/path' -Omit 'x-ncp-apigw-signature-v2')
    }
}

Describe 'Response headers and envelope' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator -KeyCount 1 }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'answers success with application/json;charset=UTF-8 and the SUCCESS envelope' {
        # Read from the socket: HttpClient re-renders Content-Type as 'application/json; charset=UTF-8'.
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $emulator GET '/kms/v1/keys')
            $r = Read-RawResponse $stream
            $r.Headers['Content-Type'] | Should -BeExactly $KmsContentType
            @(($r.Body | ConvertFrom-Json).PSObject.Properties.Name) | Should -Be @('code', 'data')
        } finally {
            $client.Dispose()
        }
    }

    It 'sends a new GUID in x-ncp-apigw-request-id on every response, errors included' {
        $ok = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys'
        $denied = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -SecretKey 'wrong'
        $ids = @((Get-Header $ok 'x-ncp-apigw-request-id'), (Get-Header $denied 'x-ncp-apigw-request-id'))
        foreach ($id in $ids) { [guid]::Parse($id) | Should -BeOfType [guid] }
        $ids[0] | Should -Not -Be $ids[1]
        Get-Header $denied 'Content-Type' | Should -Match '^application/json;\s?charset=UTF-8$'
    }
}

Describe 'Clock skew' {
    BeforeAll {
        $script:skew = [TimeSpan]::FromHours(-3)
        $script:emulator = Start-NcpKmsEmulator -ClockSkew $skew -KeyCount 1
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'reports the skew on the emulator object' {
        $emulator.ClockSkew | Should -Be $skew
    }

    It 'sends a Date header from the skewed clock, on success and on refusal' {
        foreach ($r in @((Invoke-RawKms $emulator -RequestUri '/kms/v1/keys'), (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -SecretKey 'wrong'))) {
            $date = [DateTimeOffset]::Parse((Get-Header $r 'Date'), [cultureinfo]::InvariantCulture)
            [Math]::Abs(($date - ([DateTimeOffset]::UtcNow + $skew)).TotalSeconds) | Should -BeLessThan 5
        }
    }

    It 'refuses a timestamp from the real clock when the emulator clock is 3 hours behind' {
        Assert-AuthenticationFailed (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -Timestamp (Get-TestTimestamp))
    }

    It 'writes dates from the skewed clock' {
        $before = ([DateTimeOffset]::UtcNow + $skew).ToUnixTimeMilliseconds()
        $r = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody)
        $after = ([DateTimeOffset]::UtcNow + $skew).ToUnixTimeMilliseconds()
        $r.Json.data.registerDate | Should -BeGreaterOrEqual $before
        $r.Json.data.registerDate | Should -BeLessOrEqual $after
    }
}

Describe 'Create Key' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'creates an ENABLE key and returns the documented fields' {
        $body = New-CreateKeyBody -Override @{ keyName = 'orders-key'; memo = 'for orders'; isAutoRotation = $true; rotationPeriod = 30 }
        $r = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body $body
        $r.StatusCode | Should -Be 200
        $data = $r.Json.data
        @($data.PSObject.Properties.Name) | Should -Be @('keyId', 'keyTag', 'keyName', 'keyType', 'status', 'keystoreId', 'protectionType',
            'memo', 'isConvergent', 'isAutoRotation', 'rotationPeriod', 'nextRotationDate', 'registerDate')
        $data.keyName | Should -Be 'orders-key'
        $data.status | Should -Be 'ENABLE'
        $data.keyTag | Should -MatchExactly '^[a-z0-9]{64}$'
        $data.rotationPeriod | Should -Be 30
        $data.nextRotationDate | Should -Be ($data.registerDate + 30 * 86400000)
    }

    It 'gives a new key one ENABLE version that is current' {
        $created = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'fresh-key' })
        $versions = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($created.Json.data.keyTag)/versions").Json.data
        $versions.currentVersion | Should -Be 1
        @($versions.versionList).Count | Should -Be 1
        $versions.versionList[0].status | Should -Be 'ENABLE'
        $versions.versionList[0].rotatedDate | Should -Be $created.Json.data.registerDate
    }

    It 'defaults rotationPeriod to 90 with auto rotation on' {
        $r = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'auto-key'; isAutoRotation = $true })
        $r.Json.data.rotationPeriod | Should -Be 90
    }

    It 'accepts a convergent AES256 key and the key types RSA2048 and ECDSA' {
        (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'conv-key'; isConvergent = $true })).Json.data.isConvergent | Should -BeTrue
        (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'rsa-key'; keyType = 'RSA2048'; protectionType = 'COMMON_HSM' })).StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'ec-key'; keyType = 'ECDSA' })).StatusCode | Should -Be 200
    }

    It 'refuses <Case> with 400 INVALID_REQUEST' -TestCases @(
        @{ Case = 'a missing keyName'; Body = { New-CreateKeyBody -Remove keyName } }
        @{ Case = 'a 2-character keyName'; Body = { New-CreateKeyBody -Override @{ keyName = 'ab' } } }
        @{ Case = 'a 16-character keyName'; Body = { New-CreateKeyBody -Override @{ keyName = 'a' * 16 } } }
        @{ Case = 'a keyName starting with a digit'; Body = { New-CreateKeyBody -Override @{ keyName = '1key' } } }
        @{ Case = 'a keyName with a dot'; Body = { New-CreateKeyBody -Override @{ keyName = 'my.key' } } }
        @{ Case = 'an unknown keyType'; Body = { New-CreateKeyBody -Override @{ keyType = 'AES128' } } }
        @{ Case = 'a missing keyType'; Body = { New-CreateKeyBody -Remove keyType } }
        @{ Case = 'a missing protectionType'; Body = { New-CreateKeyBody -Remove protectionType } }
        @{ Case = 'an unknown protectionType'; Body = { New-CreateKeyBody -Override @{ protectionType = 'HSM' } } }
        @{ Case = 'a missing isAutoRotation'; Body = { New-CreateKeyBody -Remove isAutoRotation } }
        @{ Case = 'isAutoRotation as a string'; Body = { New-CreateKeyBody -Override @{ isAutoRotation = 'true' } } }
        @{ Case = 'rotationPeriod 0'; Body = { New-CreateKeyBody -Override @{ isAutoRotation = $true; rotationPeriod = 0 } } }
        @{ Case = 'rotationPeriod 731'; Body = { New-CreateKeyBody -Override @{ isAutoRotation = $true; rotationPeriod = 731 } } }
        @{ Case = 'rotationPeriod without auto rotation'; Body = { New-CreateKeyBody -Override @{ rotationPeriod = 30 } } }
        @{ Case = 'isConvergent with RSA2048'; Body = { New-CreateKeyBody -Override @{ keyType = 'RSA2048'; isConvergent = $true } } }
        @{ Case = 'a 101-character memo'; Body = { New-CreateKeyBody -Override @{ memo = 'm' * 101 } } }
        @{ Case = 'a body that is not JSON'; Body = { 'keyName=app-key' } }
        @{ Case = 'a JSON array body'; Body = { '[]' } }
        @{ Case = 'an empty body'; Body = { '' } }
    ) {
        $r = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (& $Body)
        Assert-KmsError $r 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'refuses a duplicate keyName with 400 INVALID_REQUEST' {
        (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'dup-key' })).StatusCode | Should -Be 200
        Assert-KmsError (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'dup-key' })) 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'accepts a 100-character memo' {
        (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'memo-key'; memo = 'm' * 100 })).StatusCode | Should -Be 200
    }
}

Describe 'Get Key List paging' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator -KeyCount 250
        $script:pages = foreach ($pageNo in 1..3) {
            (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys?pageNo=$pageNo&pageSize=100").Json.data
        }
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'splits 250 keys into pages of 100, 100 and 50 with the right totals' {
        $pages | ForEach-Object { $_.totalCount | Should -Be 250; $_.totalPageNo | Should -Be 3 }
        $pages.currentPageNo | Should -Be @(1, 2, 3)
        $pages | ForEach-Object { @($_.keyList).Count } | Should -Be @(100, 100, 50)
    }

    It 'returns every key exactly once, in creation order' {
        $names = $pages.keyList.keyName
        $names.Count | Should -Be 250
        $names[0] | Should -Be 'key0001'
        $names[249] | Should -Be 'key0250'
        ($names | Sort-Object -Unique).Count | Should -Be 250
        $names | Should -Be ($names | Sort-Object)
    }

    It 'gives list items exactly the documented fields' {
        @($pages[0].keyList[0].PSObject.Properties.Name) | Should -Be @('keyId', 'keyTag', 'keyName', 'keyType', 'status',
            'protectionType', 'isConvergent', 'registerDate', 'destroyDate')
    }

    It 'defaults to page 1 of 100' {
        $data = (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys').Json.data
        $data.currentPageNo | Should -Be 1
        @($data.keyList).Count | Should -Be 100
    }

    It 'accepts pageSize 200 and returns an empty page past the end' {
        @((Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageSize=200').Json.data.keyList).Count | Should -Be 200
        $beyond = (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=4&pageSize=100').Json.data
        @($beyond.keyList).Count | Should -Be 0
        $beyond.currentPageNo | Should -Be 4
    }

    It 'refuses <Query> with 400 INVALID_REQUEST' -TestCases @(
        @{ Query = 'pageSize=201' }
        @{ Query = 'pageSize=0' }
        @{ Query = 'pageNo=0' }
        @{ Query = 'pageNo=-1' }
        @{ Query = 'pageNo=abc' }
        @{ Query = 'pageSize=' }
    ) {
        Assert-KmsError (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys?$Query") 400 'INVALID_REQUEST' 'Invalid request'
    }

    It 'reports an empty keystore as an empty list with totalPageNo 0' {
        $empty = Start-NcpKmsEmulator
        try {
            $data = (Invoke-RawKms $empty -RequestUri '/kms/v1/keys').Json.data
            @($data.keyList).Count | Should -Be 0
            $data.totalCount | Should -Be 0
            $data.totalPageNo | Should -Be 0
        } finally {
            Stop-NcpKmsEmulator $empty
        }
    }
}

Describe 'Get Key Info' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'info-key' -KeyType RSA2048 -VersionCount 2
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'returns the documented fields, with baseUrl pointing at the emulator' {
        $data = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)").Json.data
        @($data.PSObject.Properties.Name) | Should -Be @('keyId', 'keyTag', 'keyName', 'nrn', 'baseUrl', 'keyType', 'status', 'keystoreId',
            'currentVersion', 'protectionType', 'memo', 'isConvergent', 'isAutoRotation', 'rotationPeriod', 'nextRotationDate', 'registerDate', 'destroyDate')
        $data.baseUrl | Should -Be $emulator.Endpoint
        $data.keyName | Should -Be 'info-key'
        $data.keyType | Should -Be 'RSA2048'
        $data.currentVersion | Should -Be 2
        $data.nrn | Should -Match ([regex]::Escape($key.KeyTag))
    }

    It 'answers an unknown key tag with 404 NOT_FOUND' {
        Assert-KmsError (Invoke-RawKms $emulator -RequestUri ('/kms/v1/keys/' + ('z' * 64))) 404 'NOT_FOUND' 'Not found'
    }

    It 'answers a key tag with characters no tag has (<Tag>) like an unknown key' -TestCases @(
        @{ Tag = 'bad%21tag' }
        @{ Tag = 'a%2Fb' }
        @{ Tag = 'a.b' }
    ) {
        Assert-KmsError (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$Tag") 404 'NOT_FOUND' 'Not found'
    }

    It 'decodes the key tag segment before looking it up' {
        # Over the socket: .NET's Uri would unescape %61 to 'a' on the wire, so the request would no longer
        # match what was signed.
        $encoded = $key.KeyTag.Substring(0, 63) + ('%{0:X2}' -f [int] $key.KeyTag[63])
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $emulator GET "/kms/v1/keys/$encoded")
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 200
            ($r.Body | ConvertFrom-Json).data.keyTag | Should -Be $key.KeyTag
        } finally {
            $client.Dispose()
        }
    }

    It 'shows a REVOKE key with a destroyDate 72 hours after its status change' {
        $revoked = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'gone-key' -Status REVOKE
        $data = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($revoked.KeyTag)").Json.data
        $data.status | Should -Be 'REVOKE'
        $data.destroyDate | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(71).ToUnixTimeMilliseconds())
    }
}

Describe 'Get Key Version List' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 3
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'lists every version in order with the documented fields' {
        $data = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions").Json.data
        @($data.PSObject.Properties.Name) | Should -Be @('keyTag', 'currentVersion', 'versionList')
        $data.keyTag | Should -Be $key.KeyTag
        $data.currentVersion | Should -Be 3
        $data.versionList.version | Should -Be @(1, 2, 3)
        @($data.versionList[0].PSObject.Properties.Name) | Should -Be @('version', 'status', 'statusDate', 'rotatedDate')
        $data.versionList[1].rotatedDate | Should -BeGreaterThan $data.versionList[0].rotatedDate
    }

    It 'answers an unknown key with 404 NOT_FOUND' {
        Assert-KmsError (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys/nosuchkey/versions') 404 'NOT_FOUND' 'Not found'
    }
}

Describe 'Rotate Key' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'creates version N+1, makes it current, and returns rotatedDate in epoch milliseconds' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 4
        $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $r = Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate"
        $after = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $r.StatusCode | Should -Be 200
        @($r.Json.data.PSObject.Properties.Name) | Should -Be @('keyTag', 'version', 'rotatedDate')
        $r.Json.data.keyTag | Should -Be $key.KeyTag
        $r.Json.data.version | Should -Be 5
        $r.Json.data.rotatedDate | Should -BeOfType [long]
        $r.Json.data.rotatedDate | Should -BeGreaterOrEqual $before
        $r.Json.data.rotatedDate | Should -BeLessOrEqual $after
        $versions = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions").Json.data
        $versions.currentVersion | Should -Be 5
        $versions.versionList[-1].rotatedDate | Should -Be $r.Json.data.rotatedDate
        $versions.versionList[-1].status | Should -Be 'ENABLE'
    }

    It 'refuses a <Status> key with 422 UNPROCESSABLE_ENTITY and leaves it unchanged' -TestCases @(
        @{ Status = 'DISABLE' }
        @{ Status = 'REVOKE' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Status $Status
        Assert-KmsError (Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate") 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)").Json.data.currentVersion | Should -Be 1
    }

    It 'refuses a 101st version with 422 UNPROCESSABLE_ENTITY' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -VersionCount 99
        (Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate").Json.data.version | Should -Be 100
        Assert-KmsError (Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate") 422 'UNPROCESSABLE_ENTITY' 'Invalid status'
    }

    It 'answers an unknown key with 404 NOT_FOUND' {
        Assert-KmsError (Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys/nosuchkey/rotate') 404 'NOT_FOUND' 'Not found'
    }
}

Describe 'Routing errors' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator -KeyCount 1 }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'answers an unknown path <Path> with the gateway 404 (errorCode 300)' -TestCases @(
        @{ Path = '/kms/v1/nothing' }
        @{ Path = '/kms/v2/keys' }
        @{ Path = '/kms/v1/keys/abc/not-an-operation' }
    ) {
        $r = Invoke-RawKms $emulator -RequestUri $Path
        Assert-GatewayError $r 404 '300'
        $r.Json.error.message | Should -Be 'Not Found Exception'
    }

    It 'answers a known path with the wrong method with 405, the gateway shape and an Allow header' {
        $r = Invoke-RawKms $emulator -Method PUT -RequestUri '/kms/v1/keys'
        Assert-GatewayError $r 405 '300'
        @($r.Headers['Allow']) -join ', ' | Should -Be 'GET, POST'
    }
}

Describe 'Request log' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator
        $null = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=1&pageSize=5'
        $null = Invoke-RawKms $emulator -Method POST -RequestUri "/kms/v1/keys/$($key.KeyTag)/rotate"
        $null = Invoke-RawKms $emulator -Method POST -RequestUri '/kms/v1/keys' -Body (New-CreateKeyBody -Override @{ keyName = 'x' })
        $null = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys' -AccessKey 'SOMEONEELSE'
        $script:log = @(Get-NcpKmsEmulatorRequest -Emulator $emulator)
        $script:rotatePath = "/kms/v1/keys/$($key.KeyTag)/rotate"
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'records every HTTP request in order, and nothing for direct seeding' {
        $log.Count | Should -Be 4
        $log.Method | Should -Be @('GET', 'POST', 'POST', 'GET')
    }

    It 'records the raw path and query, status, access key and authentication result' {
        $log[0].Path | Should -BeExactly '/kms/v1/keys?pageNo=1&pageSize=5'
        $log[0].StatusCode | Should -Be 200
        $log[0].AccessKey | Should -Be $emulator.AccessKey
        $log[0].Authenticated | Should -BeTrue
        $log[1].Path | Should -Be $rotatePath
        $log[2].StatusCode | Should -Be 400
        $log[2].Detail | Should -Match 'keyName'
        $log[3].StatusCode | Should -Be 401
        $log[3].AccessKey | Should -Be 'SOMEONEELSE'
        $log[3].Authenticated | Should -BeFalse
    }

    It 'matches each entry to the request id sent back' {
        $r = Invoke-RawKms $emulator -RequestUri '/kms/v1/keys'
        (Get-NcpKmsEmulatorRequest $emulator)[-1].RequestId | Should -Be (Get-Header $r 'x-ncp-apigw-request-id')
    }

    It 'never exposes bodies or the signature' {
        $properties = $log[0].PSObject.Properties.Name
        $properties | Should -Be @('Time', 'Method', 'Path', 'StatusCode', 'AccessKey', 'Authenticated', 'RequestId', 'Detail', 'Applied', 'Fault', 'Delay')
        ($log | Out-String -Width 500) | Should -Not -Match 'app-key|keyType'
    }

    It 'is empty for an emulator that received no request' {
        $quiet = Start-NcpKmsEmulator -KeyCount 3
        try { @(Get-NcpKmsEmulatorRequest $quiet).Count | Should -Be 0 } finally { Stop-NcpKmsEmulator $quiet }
    }
}

Describe 'Concurrency' {
    BeforeAll {
        $script:emulator = Start-NcpKmsEmulator -KeyCount 20
        $script:key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'busy-key'
    }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'applies 50 parallel rotations of one key exactly once each' {
        $results = 1..50 | ForEach-Object -ThrottleLimit 25 -Parallel {
            $e = $using:emulator
            $uri = "/kms/v1/keys/$(($using:key).KeyTag)/rotate"
            $timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds().ToString()
            $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($e.SecretKey))
            $signature = [Convert]::ToBase64String($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes("POST $uri`n$timestamp`n$($e.AccessKey)")))
            $r = Invoke-WebRequest -Method Post -Uri ($e.Endpoint + $uri) -SkipHttpErrorCheck -Headers @{
                'x-ncp-apigw-timestamp' = $timestamp; 'x-ncp-iam-access-key' = $e.AccessKey; 'x-ncp-apigw-signature-v2' = $signature }
            [pscustomobject]@{ StatusCode = [int] $r.StatusCode; Version = ($r.Content | ConvertFrom-Json).data.version }
        }
        $results.StatusCode | Sort-Object -Unique | Should -Be 200
        $results.Version | Sort-Object | Should -Be (2..51)
        $versions = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions").Json.data
        $versions.currentVersion | Should -Be 51
        $versions.versionList.version | Should -Be (1..51)
    }

    It 'answers 300 concurrent requests over shared keep-alive connections' {
        $handler = [System.Net.Http.SocketsHttpHandler]::new()
        $handler.MaxConnectionsPerServer = 8
        $client = [System.Net.Http.HttpClient]::new($handler)
        try {
            $tasks = foreach ($i in 1..300) {
                $uri = "/kms/v1/keys?pageNo=$($i % 3 + 1)&pageSize=7"
                $timestamp = Get-TestTimestamp
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, $emulator.Endpoint + $uri)
                $request.Headers.Add('x-ncp-apigw-timestamp', $timestamp)
                $request.Headers.Add('x-ncp-iam-access-key', $emulator.AccessKey)
                $request.Headers.Add('x-ncp-apigw-signature-v2', (Get-TestSignature -SecretKey $emulator.SecretKey -Method GET -RequestUri $uri -Timestamp $timestamp -AccessKey $emulator.AccessKey))
                $client.SendAsync($request)
            }
            [System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]] $tasks)
            $statuses = $tasks | ForEach-Object { [int] $_.Result.StatusCode }
            $pages = $tasks | ForEach-Object { ($_.Result.Content.ReadAsStringAsync().Result | ConvertFrom-Json).data.currentPageNo }
        } finally {
            $client.Dispose()
        }
        $statuses | Sort-Object -Unique | Should -Be 200
        $pages | Should -Be (1..300 | ForEach-Object { $_ % 3 + 1 })
    }
}

Describe 'HTTP/1.1 transport' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator -KeyCount 1 }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'serves several requests in sequence on one keep-alive connection' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            foreach ($i in 1..3) {
                Send-Ascii $stream (New-SignedHead $emulator GET '/kms/v1/keys')
                $r = Read-RawResponse $stream
                $r.StatusCode | Should -Be 200
                $r.Headers.Keys | Should -Not -Contain 'Connection'
            }
        } finally {
            $client.Dispose()
        }
    }

    It 'answers pipelined requests in order' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream ((New-SignedHead $emulator GET '/kms/v1/keys') + (New-SignedHead $emulator GET '/kms/v1/nothing'))
            (Read-RawResponse $stream).StatusCode | Should -Be 200
            (Read-RawResponse $stream).StatusCode | Should -Be 404
        } finally {
            $client.Dispose()
        }
    }

    It 'reads a chunked request body' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            $json = New-CreateKeyBody -Override @{ keyName = 'chunked-key' }
            $first, $second = $json.Substring(0, 10), $json.Substring(10)
            $chunks = ('{0:x}' -f $first.Length) + "`r`n$first`r`n" + ('{0:X}' -f $second.Length) + ";ext=1`r`n$second`r`n0`r`n`r`n"
            Send-Ascii $stream ((New-SignedHead $emulator POST '/kms/v1/keys' @('Transfer-Encoding: chunked', 'Content-Type: application/json')) + $chunks)
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 200
            ($r.Body | ConvertFrom-Json).data.keyName | Should -Be 'chunked-key'
        } finally {
            $client.Dispose()
        }
    }

    It 'sends 100 Continue before reading a body announced with Expect: 100-continue' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            $json = New-CreateKeyBody -Override @{ keyName = 'expect-key' }
            Send-Ascii $stream (New-SignedHead $emulator POST '/kms/v1/keys' @('Expect: 100-continue', "Content-Length: $($json.Length)"))
            (Read-RawResponse $stream).StatusCode | Should -Be 100
            Send-Ascii $stream $json
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 200
            ($r.Body | ConvertFrom-Json).data.keyName | Should -Be 'expect-key'
        } finally {
            $client.Dispose()
        }
    }

    It 'closes the connection after a request with Connection: close' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $emulator GET '/kms/v1/keys' @('Connection: close'))
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 200
            $r.Headers['Connection'] | Should -Be 'close'
            Test-StreamClosed $stream | Should -BeTrue
        } finally {
            $client.Dispose()
        }
    }

    It 'answers a malformed request with the gateway 400 (errorCode 100) and closes' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream "NOT A REQUEST`r`n`r`n"
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 400
            ($r.Body | ConvertFrom-Json).error.errorCode | Should -Be '100'
            Test-StreamClosed $stream | Should -BeTrue
        } finally {
            $client.Dispose()
        }
    }

    It 'refuses a body over 1 MiB with the gateway 413 (errorCode 430)' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $emulator POST '/kms/v1/keys' @('Content-Length: 2000000'))
            $r = Read-RawResponse $stream
            $r.StatusCode | Should -Be 413
            ($r.Body | ConvertFrom-Json).error.errorCode | Should -Be '430'
        } finally {
            $client.Dispose()
        }
    }

    It 'omits the body of a HEAD response but keeps the connection usable' {
        $client = Connect-Raw $emulator
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $emulator HEAD '/kms/v1/keys')
            $head = [System.Text.StringBuilder]::new()
            while (-not $head.ToString().EndsWith("`r`n`r`n")) { $null = $head.Append([char] $stream.ReadByte()) }
            $head.ToString() | Should -Match '^HTTP/1.1 405'
            Send-Ascii $stream (New-SignedHead $emulator GET '/kms/v1/keys')
            (Read-RawResponse $stream).StatusCode | Should -Be 200
        } finally {
            $client.Dispose()
        }
    }
}

Describe 'Start-NcpKmsEmulator' {
    AfterEach { Stop-NcpKmsEmulator }

    It 'listens on 127.0.0.1 at a free port with random credentials' {
        $a = Start-NcpKmsEmulator
        $b = Start-NcpKmsEmulator
        $a | Should -BeOfType ([NcpKms.Emulator.KmsEmulator])
        $a.Endpoint | Should -Be "http://127.0.0.1:$($a.Port)"
        $a.Port | Should -Not -Be $b.Port
        $a.AccessKey | Should -Not -Be $b.AccessKey
        $a.SecretKey | Should -Not -Be $b.SecretKey
        $a.SecretKey.Length | Should -BeGreaterOrEqual 20
        $a.IsRunning | Should -BeTrue
        "$a" | Should -Be $a.Endpoint
    }

    It 'uses the given port and credentials' {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $e = Start-NcpKmsEmulator -Port $port -AccessKey 'MYACCESSKEY' -SecretKey 'my secret'
        $e.Port | Should -Be $port
        (Invoke-RawKms $e -RequestUri '/kms/v1/keys').StatusCode | Should -Be 200
        $e.AccessKey | Should -Be 'MYACCESSKEY'
    }

    It 'seeds -KeyCount ENABLE AES256 keys named key0001 onwards' {
        $e = Start-NcpKmsEmulator -KeyCount 3
        $keys = (Invoke-RawKms $e -RequestUri '/kms/v1/keys').Json.data.keyList
        $keys.keyName | Should -Be @('key0001', 'key0002', 'key0003')
        $keys.status | Sort-Object -Unique | Should -Be 'ENABLE'
        $keys.keyType | Sort-Object -Unique | Should -Be 'AES256'
    }

    It 'fails clearly when the port is taken' {
        $taken = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $taken.Start()
        try {
            { Start-NcpKmsEmulator -Port $taken.LocalEndpoint.Port } |
                Should -Throw -ErrorId 'PortUnavailable,NcpKms.Emulator.Commands.StartNcpKmsEmulatorCommand' -ExpectedMessage '*already in use*'
        } finally {
            $taken.Stop()
        }
    }

    It 'rejects <Case> naming the parameter' -TestCases @(
        @{ Case = 'port 0'; Arguments = @{ Port = 0 }; Message = '*Port*' }
        @{ Case = 'a negative key count'; Arguments = @{ KeyCount = -1 }; Message = '*KeyCount*' }
        @{ Case = 'an access key with a space'; Arguments = @{ AccessKey = 'A B' }; Message = '*AccessKey*' }
        @{ Case = 'an empty secret key'; Arguments = @{ SecretKey = '' }; Message = '*SecretKey*' }
        @{ Case = 'a clock skew of 4000 days'; Arguments = @{ ClockSkew = [TimeSpan]::FromDays(4000) }; Message = '*ClockSkew*' }
    ) {
        { Start-NcpKmsEmulator @Arguments } | Should -Throw -ExpectedMessage $Message
    }

    It 'shows Endpoint and AccessKey but not SecretKey in its table view' {
        $e = Start-NcpKmsEmulator
        $text = $e | Out-String -Width 200
        $text | Should -Match ([regex]::Escape($e.Endpoint))
        $text | Should -Match $e.AccessKey
        $text | Should -Not -Match $e.SecretKey
    }
}

Describe 'Stop-NcpKmsEmulator' {
    It 'stops quickly, frees the port and resets open connections' {
        $e = Start-NcpKmsEmulator -KeyCount 1
        $port = $e.Port
        $client = Connect-Raw $e
        try {
            $stream = $client.GetStream()
            Send-Ascii $stream (New-SignedHead $e GET '/kms/v1/keys')
            (Read-RawResponse $stream).StatusCode | Should -Be 200
            (Measure-Command { Stop-NcpKmsEmulator -Emulator $e }).TotalSeconds | Should -BeLessThan 1 -Because 'Stop must not wait out its 2-second timeout'
            Test-StreamClosed $stream | Should -BeTrue
        } finally {
            $client.Dispose()
        }
        $e.IsRunning | Should -BeFalse
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        { $listener.Start() } | Should -Not -Throw
        $listener.Stop()
    }

    It 'refuses connections once stopped' {
        $e = Start-NcpKmsEmulator
        Stop-NcpKmsEmulator $e
        { [System.Net.Sockets.TcpClient]::new('127.0.0.1', $e.Port) } | Should -Throw
    }

    It 'stops piped emulators, and -PassThru writes them back' {
        $a = Start-NcpKmsEmulator
        $b = Start-NcpKmsEmulator
        $stopped = $a, $b | Stop-NcpKmsEmulator -PassThru
        $stopped.Port | Should -Be @($a.Port, $b.Port)
        $a.IsRunning, $b.IsRunning | Should -Be @($false, $false)
    }

    It 'stops every emulator of the process when called without -Emulator' {
        $a = Start-NcpKmsEmulator
        $b = Start-NcpKmsEmulator
        Stop-NcpKmsEmulator
        $a.IsRunning, $b.IsRunning | Should -Be @($false, $false)
    }

    It 'stops nothing for an empty pipeline' {
        $a = Start-NcpKmsEmulator
        try {
            @() | Stop-NcpKmsEmulator
            $a.IsRunning | Should -BeTrue
        } finally {
            Stop-NcpKmsEmulator $a
        }
    }

    It 'can be called twice on the same emulator' {
        $a = Start-NcpKmsEmulator
        Stop-NcpKmsEmulator $a
        { Stop-NcpKmsEmulator $a } | Should -Not -Throw
    }
}

Describe 'Add-NcpKmsEmulatorKey' {
    BeforeAll { $script:emulator = Start-NcpKmsEmulator }
    AfterAll { Stop-NcpKmsEmulator $emulator }

    It 'writes one EmulatorKey per key with the requested settings' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'seeded' -KeyType ecdsa -Status DISABLE -VersionCount 3
        $key | Should -BeOfType ([NcpKms.Emulator.EmulatorKey])
        $key.KeyName | Should -Be 'seeded'
        $key.KeyType | Should -BeExactly 'ECDSA'
        $key.Status | Should -Be 'DISABLE'
        $key.CurrentVersion | Should -Be 3
        $key.KeyTag | Should -MatchExactly '^[a-z0-9]{64}$'
        $info = (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)").Json.data
        $info.status | Should -Be 'DISABLE'
        $info.keyType | Should -Be 'ECDSA'
    }

    It 'numbers names when -Count is used with -Name' {
        $keys = $emulator | Add-NcpKmsEmulatorKey -Name 'batch' -Count 3
        $keys.KeyName | Should -Be @('batch0001', 'batch0002', 'batch0003')
        ($emulator | Add-NcpKmsEmulatorKey -Name 'batch' -Count 2).KeyName | Should -Be @('batch0004', 'batch0005')
    }

    It 'continues the default key0001 numbering without -Name' {
        $names = (Add-NcpKmsEmulatorKey -Emulator $emulator -Count 2).KeyName
        $names | Should -Be @('key0001', 'key0002')
        (Add-NcpKmsEmulatorKey -Emulator $emulator).KeyName | Should -Be 'key0003'
    }

    It 'rejects <Case> naming the parameter' -TestCases @(
        @{ Case = 'an invalid key name'; Arguments = @{ Name = '9lives' }; Message = "*Name*" }
        @{ Case = 'a prefix too long for numbering'; Arguments = @{ Name = 'abcdefghijkl'; Count = 2 }; Message = '*Name*prefix*' }
        @{ Case = 'a name already used'; Arguments = @{ Name = 'seeded' }; Message = "*Name*already exists*" }
        @{ Case = 'VersionCount 101'; Arguments = @{ VersionCount = 101 }; Message = '*VersionCount*' }
        @{ Case = 'an unknown key type'; Arguments = @{ KeyType = 'AES128' }; Message = '*KeyType*' }
        @{ Case = 'an unknown status'; Arguments = @{ Status = 'DELETED' }; Message = '*Status*' }
    ) {
        { Add-NcpKmsEmulatorKey -Emulator $emulator @Arguments } | Should -Throw -ExpectedMessage $Message
    }

    It 'refuses to seed a stopped emulator' {
        $stopped = Start-NcpKmsEmulator
        Stop-NcpKmsEmulator $stopped
        { Add-NcpKmsEmulatorKey -Emulator $stopped } | Should -Throw -ErrorId 'EmulatorStopped,NcpKms.Emulator.Commands.AddNcpKmsEmulatorKeyCommand'
    }
}

Describe 'Module manifest and format views' {
    It 'exports exactly the eight cmdlets' {
        $manifest = Test-ModuleManifest -Path $EmulatorModulePath
        @($manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be @('Add-NcpKmsEmulatorKey', 'Clear-NcpKmsEmulatorFault', 'Get-NcpKmsEmulatorFault',
            'Get-NcpKmsEmulatorRequest', 'Set-NcpKmsEmulatorClock', 'Set-NcpKmsEmulatorFault', 'Start-NcpKmsEmulator', 'Stop-NcpKmsEmulator')
        $manifest.ExportedFunctions.Count | Should -Be 0
    }

    It 'has a table view for <Type>' -TestCases @(
        @{ Type = 'NcpKms.Emulator.KmsEmulator' }
        @{ Type = 'NcpKms.Emulator.EmulatorKey' }
        @{ Type = 'NcpKms.Emulator.EmulatorRequest' }
        @{ Type = 'NcpKms.Emulator.EmulatorTime' }
        @{ Type = 'NcpKms.Emulator.EmulatorFault' }
    ) {
        $views = (Get-FormatData -TypeName $Type).FormatViewDefinition
        $views.Control | Should -BeOfType ([System.Management.Automation.TableControl])
    }

    It 'declares the output type of <Command>' -TestCases @(
        @{ Command = 'Start-NcpKmsEmulator'; Type = 'NcpKms.Emulator.KmsEmulator' }
        @{ Command = 'Stop-NcpKmsEmulator'; Type = 'NcpKms.Emulator.KmsEmulator' }
        @{ Command = 'Add-NcpKmsEmulatorKey'; Type = 'NcpKms.Emulator.EmulatorKey' }
        @{ Command = 'Get-NcpKmsEmulatorRequest'; Type = 'NcpKms.Emulator.EmulatorRequest' }
        @{ Command = 'Set-NcpKmsEmulatorClock'; Type = 'NcpKms.Emulator.EmulatorTime' }
        @{ Command = 'Set-NcpKmsEmulatorFault'; Type = 'NcpKms.Emulator.EmulatorFault' }
        @{ Command = 'Get-NcpKmsEmulatorFault'; Type = 'NcpKms.Emulator.EmulatorFault' }
        @{ Command = 'Clear-NcpKmsEmulatorFault'; Type = 'NcpKms.Emulator.EmulatorFault' }
    ) {
        (Get-Command $Command).OutputType.Name | Should -Be $Type
    }
}
