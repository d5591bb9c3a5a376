# Shared set-up for every Pester file: dot-source it from BeforeAll, call Initialize-TestSession there and
# Complete-TestSession from AfterAll. build.ps1 points the module paths at the freshly built out/ folders;
# a developer running Pester by hand gets the same defaults.
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ModulePath = if ($env:NCPKMS_MODULE_PATH) { $env:NCPKMS_MODULE_PATH } else { Join-Path $RepoRoot 'out/NcpKms/NcpKms.psd1' }
$script:EmulatorModulePath = if ($env:NCPKMS_EMULATOR_MODULE_PATH) { $env:NCPKMS_EMULATOR_MODULE_PATH } else { Join-Path $RepoRoot 'out/NcpKms.Emulator/NcpKms.Emulator.psd1' }

Import-Module $script:EmulatorModulePath
Import-Module $script:ModulePath

# Every variable the module reads: tests start with none of them, and the developer's own are restored after.
$script:NcpKmsVariables = @(
    'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_ACCESS_KEY', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_SECRET_KEY',
    'NCLOUD_PROFILE', 'NCLOUD_KMS_ENDPOINT', 'HOME', 'USERPROFILE')

function Initialize-TestSession {
    # A fresh, empty home folder hides any real ~/.ncloud/configure from the tests.
    $script:SavedEnvironment = @{}
    foreach ($name in $script:NcpKmsVariables) {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("ncpkms-home-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $folder
    $env:HOME = $folder
    $env:USERPROFILE = $folder
    Disconnect-NcpKms
}

function Complete-TestSession {
    Disconnect-NcpKms
    Stop-NcpKmsEmulator
    $testHome = $env:HOME
    foreach ($name in $script:NcpKmsVariables) {
        [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
    }
    if ($testHome -and $testHome.Contains('ncpkms-home-')) { Remove-Item $testHome -Recurse -Force -ErrorAction SilentlyContinue }
}

function ConvertTo-TestSecureString([string] $Text) {
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

# Connects the session to an emulator (or returns a context for it with -PassThru).
function Connect-TestEmulator($Emulator, [switch] $PassThru, [string] $SecretKey = $Emulator.SecretKey, [string] $AccessKey = $Emulator.AccessKey) {
    Connect-NcpKms -Endpoint $Emulator.Endpoint -AccessKey $AccessKey -SecretKey (ConvertTo-TestSecureString $SecretKey) -PassThru:$PassThru -SkipValidation
}

function Get-RequestCount($Emulator) {
    @(Get-NcpKmsEmulatorRequest -Emulator $Emulator).Count
}

# Writes ~/.ncloud/configure under the test home folder.
function Set-TestConfigureFile([string] $Content) {
    $folder = Join-Path $env:HOME '.ncloud'
    $null = New-Item -ItemType Directory -Path $folder -Force
    Set-Content -Path (Join-Path $folder 'configure') -Value $Content -NoNewline
}

# Every record a script block writes to any stream, as text: output, errors (with their exceptions and
# details), warnings, verbose, debug and information records.
function Get-AllStreamText([scriptblock] $Script) {
    $records = & $Script *>&1
    $text = foreach ($record in $records) {
        $record | Out-String -Width 4096
        if ($record -is [System.Management.Automation.ErrorRecord]) {
            $record.Exception.ToString()
            "$($record.ErrorDetails)"
            "$($record.TargetObject)"
        }
        else { $record | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }
    }
    $text -join "`n"
}

# An independent PowerShell signer, written from reference §3.2 and checked against the §3.4 vectors
# (Emulator.Tests.ps1): tests use it to read the emulator's raw JSON and to send requests the module would
# refuse to build, without trusting the module's own signer.
function Get-TestSignature {
    param([string] $SecretKey, [string] $Method, [string] $RequestUri, [string] $Timestamp, [string] $AccessKey)
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($SecretKey))
    try {
        $message = [System.Text.Encoding]::UTF8.GetBytes("$Method $RequestUri`n$Timestamp`n$AccessKey")
        [Convert]::ToBase64String($hmac.ComputeHash($message))
    } finally {
        $hmac.Dispose()
    }
}

function Get-TestTimestamp {
    param([TimeSpan] $Offset = [TimeSpan]::Zero)
    ([DateTimeOffset]::UtcNow + $Offset).ToUnixTimeMilliseconds().ToString([cultureinfo]::InvariantCulture)
}

# One request with every authentication header explicit, so a test can break exactly one thing. With -Token
# the request is token-authenticated (reference §3.6): x-ncp-ocapi-token and no signature headers.
function Invoke-RawKms {
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $RequestUri,
        [string] $Body,
        [string] $Timestamp = (Get-TestTimestamp -Offset $Emulator.ClockSkew),
        [string] $AccessKey = $Emulator.AccessKey,
        [string] $SecretKey = $Emulator.SecretKey,
        [string] $SignedUri = $RequestUri,
        [string] $Signature,
        [string[]] $Omit = @(),
        [string] $Token
    )
    if (-not $Signature) {
        $Signature = Get-TestSignature -SecretKey $SecretKey -Method $Method -RequestUri $SignedUri -Timestamp $Timestamp -AccessKey $AccessKey
    }
    $headers = if ($Token) { @{ 'x-ncp-ocapi-token' = $Token } } else {
        @{
            'x-ncp-apigw-timestamp'    = $Timestamp
            'x-ncp-iam-access-key'     = $AccessKey
            'x-ncp-apigw-signature-v2' = $Signature
        }
    }
    foreach ($name in $Omit) { $headers.Remove($name) }
    $request = @{
        Method               = $Method
        Uri                  = $Emulator.Endpoint + $RequestUri
        Headers              = $headers
        SkipHttpErrorCheck   = $true
        SkipHeaderValidation = $true
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = $Body
        $request.ContentType = 'application/json'
    }
    $response = Invoke-WebRequest @request
    [pscustomobject]@{
        StatusCode = [int] $response.StatusCode
        Content    = [string] $response.Content
        Json       = if ($response.Content -and "$($response.Headers['Content-Type'])" -match 'json') { $response.Content | ConvertFrom-Json } else { $null }
        Headers    = $response.Headers
    }
}

# The three response shapes of reference §4-5, asserted field for field.
function Assert-GatewayError($Response, [int] $StatusCode, [string] $ErrorCode) {
    $Response.StatusCode | Should -Be $StatusCode
    @($Response.Json.PSObject.Properties.Name) | Should -Be @('error')
    $Response.Json.error.errorCode | Should -BeOfType [string]
    $Response.Json.error.errorCode | Should -Be $ErrorCode
    $Response.Json.error.details | Should -Not -BeNullOrEmpty
}

function Assert-AuthenticationFailed($Response) {
    Assert-GatewayError $Response 401 '200'
    $Response.Json.error.message | Should -Be 'Authentication Failed'
}

function Assert-KmsError($Response, [int] $StatusCode, [string] $Code, [string] $Message) {
    $Response.StatusCode | Should -Be $StatusCode
    @($Response.Json.PSObject.Properties.Name) | Should -Be @('code', 'msg', 'data')
    $Response.Json.code | Should -Be $Code
    $Response.Json.msg | Should -Be $Message
    $Response.Json.data | Should -BeNullOrEmpty
    $Response.Content | Should -Match '"data":null'
}

# Sends -Count signed requests at once, each on its own connection, and returns their HTTP status codes in
# the order sent (0 for a request that got no answer). For tests of what the emulator does under concurrency.
function Invoke-ConcurrentKms {
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $RequestUri,
        [int] $Count = 10
    )
    $client = [System.Net.Http.HttpClient]::new()
    try {
        $tasks = foreach ($i in 1..$Count) {
            $timestamp = Get-TestTimestamp -Offset $Emulator.ClockSkew
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $Emulator.Endpoint + $RequestUri)
            $request.Headers.Add('x-ncp-apigw-timestamp', $timestamp)
            $request.Headers.Add('x-ncp-iam-access-key', $Emulator.AccessKey)
            $request.Headers.Add('x-ncp-apigw-signature-v2', (Get-TestSignature -SecretKey $Emulator.SecretKey -Method $Method -RequestUri $RequestUri -Timestamp $timestamp -AccessKey $Emulator.AccessKey))
            $client.SendAsync($request)
        }
        foreach ($task in $tasks) {
            try { [int] $task.GetAwaiter().GetResult().StatusCode } catch [System.Net.Http.HttpRequestException] { 0 }
        }
    } finally {
        $client.Dispose()
    }
}

# One call on a key: /kms/v1/keys/{tag}[/Path][?Query], on the calling test file's $emulator unless -Emulator says
# otherwise. -Data is sent as JSON (a string as it is).
function Invoke-Key {
    param(
        [Parameter(Mandatory, Position = 0)] $Key,
        [Parameter(Position = 1)] [string] $Path,
        [string] $Method = 'POST',
        $Data,
        [string] $Token,
        [string] $Query,
        $Emulator = $script:emulator
    )
    $tag = if ($Key -is [string]) { $Key } else { $Key.KeyTag }
    $uri = "/kms/v1/keys/$tag" + $(if ($Path) { "/$Path" }) + $(if ($Query) { "?$Query" })
    $request = @{ Emulator = $Emulator; Method = $Method; RequestUri = $uri; Token = $Token }
    if ($PSBoundParameters.ContainsKey('Data')) {
        $request.Body = if ($Data -is [string]) { $Data } else { ConvertTo-Json $Data -Compress -Depth 5 }
    }
    Invoke-RawKms @request
}
