# Run by Invoke-Benchmark.ps1 in a new pwsh, so nothing else lives in the heap: pipes -Count generated items
# through one cmdlet and reports the peak live managed heap (sampled with a full collection about 20 times
# while the pipeline runs) and the peak working set. A cmdlet that streams holds the same live heap for 1,000
# items as for 100,000; one that buffers its input or output grows with the count. The working set also grows
# with the garbage the collector has not yet returned, which those full collections keep smaller than in a
# run without them. The credentials and endpoint come from the NCLOUD_* environment variables.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [ValidateSet('Encrypt', 'RotateWhatIf')] [string] $Workload,
    [Parameter(Mandatory)] [int] $Count,
    [Parameter(Mandatory)] [string] $KeyTag,
    # Passed as -ThrottleLimit when above zero, so the concurrent path is the one measured where it exists.
    [int] $ThrottleLimit
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$script:PeakHeap = 0L
$sampleEvery = [Math]::Max(1, [int]($Count / 20))

function Update-PeakHeap {
    $script:PeakHeap = [Math]::Max($script:PeakHeap, [GC]::GetTotalMemory($true))
}

# The input is made as it is consumed, so the only thing that can hold many items is the cmdlet.
function Write-Item([scriptblock] $Item) {
    for ($i = 0; $i -lt $Count; $i++) {
        if ($i % $sampleEvery -eq 0) { Update-PeakHeap }
        & $Item $i
    }
}

$extra = if ($ThrottleLimit -gt 0) { @{ ThrottleLimit = $ThrottleLimit } } else { @{} }
# One call first, so the heap of the lazily started HTTP and JSON machinery is there in every run alike.
$null = Protect-NcpKmsData -KeyTag $KeyTag -Plaintext 'warm-up'
switch ($Workload) {
    'Encrypt' { Write-Item { param($i) "value-$i" } | Protect-NcpKmsData -KeyTag $KeyTag @extra | Out-Null }
    # -WhatIf sends nothing, so 100,000 items take seconds and every key tag can be the same one.
    'RotateWhatIf' { Write-Item { param($i) $KeyTag } | Invoke-NcpKmsKeyRotation -WhatIf @extra | Out-Null }
}
Update-PeakHeap

[pscustomobject]@{
    PeakHeapMB       = $script:PeakHeap / 1MB
    PeakWorkingSetMB = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
} | ConvertTo-Json -Compress
