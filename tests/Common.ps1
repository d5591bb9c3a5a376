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
    'NCLOUD_PROFILE', 'NCLOUD_KMS_ENDPOINT', 'NCLOUD_KMS_TOKEN', 'NCLOUD_KMS_MAX_RETRIES', 'NCLOUD_KMS_TIMEOUT_SEC',
    'HOME', 'USERPROFILE')

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

# Starts the session, an emulator and a connection to it; returns the emulator.
function Start-TokenTestSession {
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator
    $emulator
}

# A key with an active token generator, made through the module as a script would.
function New-KeyWithGenerator($Emulator, [string] $Name) {
    $key = Add-NcpKmsEmulatorKey -Emulator $Emulator -Name $Name
    $null = New-NcpKmsTokenGenerator -KeyTag $key.KeyTag
    $key
}

function ConvertTo-PlainToken([securestring] $Token) {
    ConvertFrom-SecureString -SecureString $Token -AsPlainText
}

# One request authorised by a KMS token alone (x-ncp-ocapi-token, no signature headers), as a crypto client
# sends it; returns the HTTP status. The default is an Encrypt call, which takes an access token.
function Invoke-TokenRequest {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [securestring] $Token,
        [Parameter(Mandatory)] [string] $KeyTag,
        [string] $Action = 'encrypt',
        [string] $Body = '{"plaintext":"dGVzdA=="}'
    )
    $response = Invoke-RawKms -Emulator $Emulator -Method POST -RequestUri "/kms/v1/keys/$KeyTag/$Action" -Body $Body -Token (ConvertTo-PlainToken $Token)
    $response.StatusCode
}

# The lifetime the emulator gave a token, in hours, from its JWT claims iat and exp; $null when unlimited.
function Get-TokenLifetimeHours([securestring] $Token) {
    $payload = (ConvertTo-PlainToken $Token).Split('.')[1].Replace('-', '+').Replace('_', '/')
    $payload += '=' * ((4 - $payload.Length % 4) % 4)
    $claims = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
    if ($null -eq $claims.exp) { $null } else { ($claims.exp - $claims.iat) / 3600 }
}

# Runs a script in a new runspace without a host, where a confirmation prompt fails at once with a
# HostException instead of waiting for an answer. Connect-NcpKms's session context is process-wide, so the
# script sees it.
function Invoke-WithoutHost([string] $Script) {
    $shell = [powershell]::Create()
    try {
        $null = $shell.AddScript("Import-Module '$ModulePath'; $Script")
        $output = $shell.Invoke()
        [pscustomobject]@{ Output = @($output); Errors = @($shell.Streams.Error) }
    }
    finally {
        $shell.Dispose()
    }
}

# The [Cmdlet] attribute of a command: SupportsShouldProcess and ConfirmImpact.
function Get-CmdletAttribute([string] $Name) {
    (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
}

function Get-RequestsSince($Emulator, [int] $Count) {
    @(Get-NcpKmsEmulatorRequest -Emulator $Emulator | Select-Object -Skip $Count)
}

# -KeyTag mandatory at position 0, from the pipeline by value and by property name, beside -Context.
function Assert-KeyTagBinding([string] $Name) {
    $command = Get-Command $Name
    $binding = $command.Parameters['KeyTag'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
    $binding.Mandatory | Should -BeTrue
    $binding.Position | Should -Be 0
    $binding.ValueFromPipeline | Should -BeTrue
    $binding.ValueFromPipelineByPropertyName | Should -BeTrue
    $command.Parameters['Context'].ParameterType.FullName | Should -Be 'NcpKms.Context'
}

# What every key cmdlet of these files promises: -KeyTag mandatory at position 0, from the pipeline by value
# and by property name, checked before any request; ShouldProcess with the ConfirmImpact its change calls for
# ('None': no ShouldProcess, so never a prompt), and -Force beside ConfirmImpact High.
function Assert-KeyCmdletConvention {
    param($Emulator, [string] $Name, [string] $Impact, [hashtable] $Arguments = @{})
    $command = Get-Command $Name
    Assert-KeyTagBinding $Name
    $attribute = Get-CmdletAttribute $Name
    $attribute.SupportsShouldProcess | Should -Be ($Impact -ne 'None')
    if ($Impact -ne 'None') { "$($attribute.ConfirmImpact)" | Should -Be $Impact }
    $command.Parameters.ContainsKey('Force') | Should -Be ($Impact -eq 'High')
    $before = Get-RequestCount $Emulator

    & $Name -KeyTag 'bad/tag' @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue

    $failures.Count | Should -Be 1
    $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*'
    Get-RequestCount $Emulator | Should -Be $before
}

# A ConfirmImpact High command prompts without -Force: where no one can answer, the prompt fails and
# nothing is sent. Returns the prompt's text.
function Assert-PromptsAndSendsNothing($Emulator, [string] $Script) {
    $before = Get-RequestCount $Emulator

    $result = Invoke-WithoutHost $Script

    $result.Errors.Count | Should -Be 1
    $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'HostFunctionNotImplemented,*'
    Get-RequestCount $Emulator | Should -Be $before
    $result.Errors[0].Exception.Message
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
