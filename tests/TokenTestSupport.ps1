# Helpers for the token, IP ACL and activity tests: dot-source it from BeforeAll, then call
# Start-TokenTestSession there and Complete-TokenTestSession from AfterAll. On top of Common.ps1's session it
# clears NCLOUD_KMS_TOKEN (restoring the developer's own afterwards) and sends token requests.
. $PSScriptRoot/Common.ps1

# Starts the session, an emulator and a connection to it; returns the emulator.
function Start-TokenTestSession {
    $script:SavedKmsToken = $env:NCLOUD_KMS_TOKEN
    $env:NCLOUD_KMS_TOKEN = $null
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator
    $emulator
}

function Complete-TokenTestSession {
    $env:NCLOUD_KMS_TOKEN = $script:SavedKmsToken
    Complete-TestSession
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

# What every key cmdlet of these files promises: -KeyTag mandatory at position 0, from the pipeline by value
# and by property name, checked before any request; ShouldProcess with the ConfirmImpact its change calls for
# ('None': no ShouldProcess, so never a prompt), and -Force beside ConfirmImpact High.
function Assert-KeyCmdletConvention {
    param($Emulator, [string] $Name, [string] $Impact, [hashtable] $Arguments = @{})
    $command = Get-Command $Name
    $binding = $command.Parameters['KeyTag'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
    $binding.Mandatory | Should -BeTrue
    $binding.Position | Should -Be 0
    $binding.ValueFromPipeline | Should -BeTrue
    $binding.ValueFromPipelineByPropertyName | Should -BeTrue
    $command.Parameters['Context'].ParameterType.FullName | Should -Be 'NcpKms.Context'
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
