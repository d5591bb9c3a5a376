<#
.SYNOPSIS
    Rotates every enabled KMS key whose name starts with app-, and fails on the first error.
.DESCRIPTION
    A runbook for a scheduled CI job. The NcpKms cmdlets take the credentials from NCLOUD_ACCESS_KEY_ID and
    NCLOUD_SECRET_ACCESS_KEY, and the endpoint from NCLOUD_KMS_ENDPOINT when it is set. Writes one object per
    rotated key. Any failure stops the script, so 'pwsh -File Rotate-AppKeys.ps1' exits non-zero and fails the
    job; the keys after the failed one are not rotated.
.EXAMPLE
    pwsh -File ./Rotate-AppKeys.ps1 -NamePattern 'app-*'
#>
[CmdletBinding()]
param(
    # The keys to rotate: a wildcard pattern on the key name.
    [string] $NamePattern = 'app-*'
)
$ErrorActionPreference = 'Stop'
Import-Module NcpKms

# A disabled key cannot be rotated; it is left alone rather than reported as a failure.
$keys = @(Get-NcpKmsKey -Name $NamePattern | Where-Object Status -EQ 'ENABLE')
foreach ($key in $keys) {
    $rotation = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag -Confirm:$false
    [pscustomobject]@{ KeyName = $key.KeyName; KeyTag = $key.KeyTag; Version = $rotation.Version }
}
