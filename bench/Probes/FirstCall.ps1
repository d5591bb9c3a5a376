# Run by Invoke-Benchmark.ps1 in a new pwsh: the cost of the first NcpKms call in a process, after the import
# (measured on its own), against the same call made again. The credentials and endpoint come from the NCLOUD_*
# environment variables, as in CI, so the first call also pays for resolving them.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $KeyTag
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$null = Get-NcpKmsKey -KeyTag $KeyTag
$first = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$null = Get-NcpKmsKey -KeyTag $KeyTag
$second = $clock.Elapsed.TotalMilliseconds

[pscustomobject]@{ FirstMs = $first; SecondMs = $second } | ConvertTo-Json -Compress
