<#
.SYNOPSIS
    The main job of NcpKms, with no NCP account: creates keys on the local KMS emulator and rotates them.
.DESCRIPTION
    Starts NcpKms.Emulator on 127.0.0.1, creates -KeyCount keys in it, connects with the emulator's
    throw-away credentials, pipes every key from Get-NcpKmsKey into Invoke-NcpKmsKeyRotation and prints
    the rotation objects (KeyTag, Version, RotatedDate). Builds the module first when out/ has none.
.EXAMPLE
    dotnet pwsh ./examples/Invoke-EmulatorRotation.ps1 -KeyCount 5
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)]
    [int] $KeyCount = 3
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$out = Join-Path $root 'out'
if (-not (Test-Path (Join-Path $out 'NcpKms/NcpKms.psd1'))) {
    & (Join-Path $root 'build.ps1') -Task Build
}
Import-Module (Join-Path $out 'NcpKms.Emulator/NcpKms.Emulator.psd1')
Import-Module (Join-Path $out 'NcpKms/NcpKms.psd1')

$emulator = Start-NcpKmsEmulator
try {
    $created = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'demo' -Count $KeyCount
    Write-Host "Created $($created.Count) keys on the emulator at $($emulator.Endpoint)."

    $secret = ConvertTo-SecureString $emulator.SecretKey -AsPlainText -Force
    Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey $secret

    # Every key, every page, one rotation each: the NcpKms.KeyRotation objects go to the output.
    Get-NcpKmsKey | Invoke-NcpKmsKeyRotation
}
finally {
    Disconnect-NcpKms
    Stop-NcpKmsEmulator -Emulator $emulator
}
