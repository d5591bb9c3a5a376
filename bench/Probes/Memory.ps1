# Run by Invoke-Benchmark.ps1 in a new pwsh, so nothing else lives in the heap: pipes -Count items through one
# cmdlet and reports the peak live managed heap (sampled with a full collection about 20 times while the
# pipeline runs) and the peak working set. A cmdlet that streams, and keeps nothing per item, holds the same
# live heap for 1,000 items as for 100,000; one that buffers its input or output, or remembers every key, grows
# with the count. The working set also grows with the garbage the collector has not yet returned, which those
# full collections keep smaller than in a run without them. The credentials and endpoint come from the
# NCLOUD_* environment variables.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [ValidateSet('Encrypt', 'Rotate', 'RotateWhatIf')] [string] $Workload,
    [Parameter(Mandatory)] [int] $Count,
    # The AES key Encrypt uses; every key tag of RotateWhatIf, which sends nothing.
    [Parameter(Mandatory)] [string] $KeyTag,
    # For Rotate: a file with a key tag per line, at least -Count of them, each rotated once.
    [string] $KeyTagFile,
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

# The input is made or read as it is consumed, so the only thing that can hold many items is the cmdlet.
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
    'Rotate' {
        $tags = [System.IO.StreamReader]::new($KeyTagFile)
        try { Write-Item { $tags.ReadLine() } | Invoke-NcpKmsKeyRotation @extra | Out-Null } finally { $tags.Dispose() }
    }
    # -WhatIf sends nothing, so every item can name the same key.
    'RotateWhatIf' { Write-Item { $KeyTag } | Invoke-NcpKmsKeyRotation -WhatIf @extra | Out-Null }
}
Update-PeakHeap

[pscustomobject]@{
    PeakHeapMB       = $script:PeakHeap / 1MB
    PeakWorkingSetMB = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
} | ConvertTo-Json -Compress
