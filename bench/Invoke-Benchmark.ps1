<#
.SYNOPSIS
    Measures NcpKms against the targets of issue 5 and writes a table and a JSON report.
.DESCRIPTION
    Every figure is measured in one run, on this machine, against the NcpKms emulator, as a ratio against a
    baseline measured in the same run: import and first-call cost in new pwsh processes; per-call cost of
    Invoke-NcpKmsKeyRotation and Protect-NcpKmsData against a raw HttpClient loop (Baselines/RawClient.cs) and
    the usual hand-written PowerShell function (Baselines/HandWritten.ps1); bulk rotation with -ThrottleLimit
    under emulator latency against the ideal; batched against one-value encryption; and memory with 100,000
    items against 1,000. A figure whose feature the module lacks (-ThrottleLimit, -BatchSize) is reported as
    n/a, so the script runs on every version of the module.

    Prints the table and writes it, with the machine, to bench/results/<timestamp>.json. The exit code is 0
    when a target is missed (this is a report, not a test) and non-zero only when the benchmark itself fails.
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Quick
#>
[CmdletBinding()]
param(
    # Items per per-call and batching figure (key tags rotated, values encrypted).
    [ValidateRange(1, 20000)]
    [int] $Count = 1000,

    # Keys rotated by the bulk figure.
    [ValidateRange(1, 20000)]
    [int] $BulkCount = 1000,

    # Items piped through a cmdlet by the memory figures; compared with a run of a hundredth of it, 1,000 at most.
    # Real rotations take a key per item, and the emulator holds at most 100,000 keys.
    [ValidateRange(10, 100000)]
    [int] $MemoryCount = 100000,

    # Timed repetitions per contender, after two warm-up runs; the median is reported. Each rotation contender
    # rotates every key once per run, so 4 contenders × (2 + 20) runs stay below the 100-version limit.
    [ValidateRange(1, 20)]
    [int] $Repeat = 15,

    # New pwsh processes per start-up figure (bare start, start with an empty module, with NcpKms, first call).
    [ValidateRange(1, 50)]
    [int] $ProcessRuns = 15,

    [ValidateRange(2, 256)]
    [int] $ThrottleLimit = 16,

    # Emulator latency for the bulk figure.
    [TimeSpan] $Latency = [TimeSpan]::FromMilliseconds(20),

    # Smaller defaults for a smoke run of well under a minute; sizes given explicitly still apply.
    [switch] $Quick,

    # Where the JSON goes; bench/results/<timestamp>.json by default.
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'

$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ModulePath = Join-Path $RepoRoot 'out/NcpKms/NcpKms.psd1'
$script:EmulatorModulePath = Join-Path $RepoRoot 'out/NcpKms.Emulator/NcpKms.Emulator.psd1'
$script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

#region Set-up

function Set-QuickDefault([hashtable] $Bound) {
    $quick = @{ Count = 500; BulkCount = 320; MemoryCount = 10000; Repeat = 5; ProcessRuns = 3 }
    foreach ($name in $quick.Keys) {
        if (-not $Bound.ContainsKey($name)) { Set-Variable -Name $name -Value $quick[$name] -Scope Script }
    }
}

function Initialize-Module {
    if (-not ((Test-Path $ModulePath) -and (Test-Path $EmulatorModulePath))) {
        Write-Host 'out/ has no build: building the modules first.'
        & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build.ps1') -Task Build | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "The build failed with exit code $LASTEXITCODE." }
    }
    Import-Module $EmulatorModulePath
    Import-Module $ModulePath
    Add-Type -Path (Join-Path $PSScriptRoot 'Baselines/RawClient.cs')
}

function Test-Parameter([string] $Command, [string] $Parameter) {
    (Get-Command $Command).Parameters.ContainsKey($Parameter)
}

# The parameters that only newer versions of the module have, for the report; each figure checks its own.
function Get-Feature {
    [ordered]@{
        'Invoke-NcpKmsKeyRotation -ThrottleLimit' = Test-Parameter Invoke-NcpKmsKeyRotation ThrottleLimit
        'Protect-NcpKmsData -ThrottleLimit'       = Test-Parameter Protect-NcpKmsData ThrottleLimit
        'Protect-NcpKmsData -BatchSize'           = Test-Parameter Protect-NcpKmsData BatchSize
    }
}

function Get-Machine {
    [ordered]@{
        OS           = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
        Architecture = "$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture)"
        CpuCount     = [Environment]::ProcessorCount
        CpuModel     = Get-CpuModel
        DotNet       = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        Pwsh         = "$($PSVersionTable.PSVersion)"
        LoadAverage  = Get-LoadAverage
    }
}

# The 1-minute load average where the OS has one. Taken before the run, it shows other work on the machine,
# which skews every figure.
function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { [double] (Get-Content /proc/loadavg -Raw).Split(' ')[0] } else { $null }
}

function Get-CpuModel {
    if ($IsLinux) { return (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value }
    if ($IsWindows) { return $env:PROCESSOR_IDENTIFIER }
    $null
}

# The commit the numbers belong to, marked when the work tree has changes; null outside a git checkout.
function Get-SourceVersion {
    if (-not (Get-Command git -ErrorAction SilentlyContinue)) { return $null }
    $commit = git -C $RepoRoot rev-parse --short HEAD 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
    $dirty = git -C $RepoRoot status --porcelain --untracked-files=no 2>$null
    $dirty ? "$commit (with uncommitted changes)" : $commit
}

function Start-BenchEmulator {
    $emulator = Start-NcpKmsEmulator
    Connect-BenchEmulator $emulator
    $emulator
}

function Connect-BenchEmulator($Emulator) {
    $secret = ConvertTo-SecureString $Emulator.SecretKey -AsPlainText -Force
    Connect-NcpKms -Endpoint $Emulator.Endpoint -AccessKey $Emulator.AccessKey -SecretKey $secret -SkipValidation
}

# Add-NcpKmsEmulatorKey numbers names with four digits, so larger sets are added in chunks under new prefixes.
function Add-BenchKey($Emulator, [string] $Prefix, [int] $Count) {
    $chunk = 5000
    $tags = for ($start = 0; $start -lt $Count; $start += $chunk) {
        $size = [Math]::Min($chunk, $Count - $start)
        (Add-NcpKmsEmulatorKey -Emulator $Emulator -Name "$Prefix$($start / $chunk)" -Count $size).KeyTag
    }
    [string[]] @($tags)
}

# The environment of a child pwsh: credentials and endpoint the way CI passes them, so no Connect-NcpKms is needed.
function Get-ChildEnvironment($Emulator) {
    @{
        NCLOUD_ACCESS_KEY_ID       = $Emulator.AccessKey
        NCLOUD_SECRET_ACCESS_KEY   = $Emulator.SecretKey
        NCLOUD_KMS_ENDPOINT        = $Emulator.Endpoint
        POWERSHELL_TELEMETRY_OPTOUT = '1'
    }
}

#endregion

#region Measuring

function Get-Median([double[]] $Values) {
    $sorted = [double[]] ($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    ($sorted.Count % 2) ? $sorted[$middle] : ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

# Milliseconds one run of the script block takes, from a collected heap so one run's garbage is not the next one's pause.
function Measure-Once([scriptblock] $Run) {
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    & $Run
    $clock.Elapsed.TotalMilliseconds
}

<#
Times each contender $Repeat times, interleaved (A B C, A B C, ...) so a drift of the machine falls on all of
them alike. Two full warm-up runs come first: the runtime recompiles hot code (tiered JIT) only after it has run
a while, and one short run left later repetitions up to twice as fast as the first ones. Each contender is a
script block taking its input; returns name → all timings in milliseconds.
#>
function Measure-Contender([System.Collections.Specialized.OrderedDictionary] $Contenders, $Items) {
    $timings = [ordered]@{}
    foreach ($name in $Contenders.Keys) {
        foreach ($warmUp in 1..2) { $null = Measure-Once { & $Contenders[$name] $Items } }
        $timings[$name] = [System.Collections.Generic.List[double]]::new()
    }
    for ($i = 0; $i -lt $Repeat; $i++) {
        foreach ($name in $Contenders.Keys) {
            $timings[$name].Add((Measure-Once { & $Contenders[$name] $Items }))
        }
    }
    $timings
}

<#
Runs a probe script (bench/Probes) in a new pwsh with the given environment and returns the JSON object it
prints last. Its other output (What if: lines) goes to a file that is read only when the probe fails.
#>
function Invoke-Probe([string] $Name, [hashtable] $Arguments, [hashtable] $Environment) {
    $stdout = [IO.Path]::GetTempFileName()
    $stderr = [IO.Path]::GetTempFileName()
    try {
        $argumentList = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot "Probes/$Name.ps1"))
        # Start-Process joins the list with spaces, so each value is quoted.
        foreach ($key in $Arguments.Keys) { $argumentList += "-$key"; $argumentList += "`"$($Arguments[$key])`"" }
        $process = Start-Process -FilePath $Pwsh -ArgumentList $argumentList -Environment $Environment -NoNewWindow -Wait -PassThru `
            -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        if ($process.ExitCode -ne 0) {
            throw "The $Name probe failed with exit code $($process.ExitCode): $(Get-Content $stderr -Raw)"
        }
        Get-Content $stdout -Tail 1 | ConvertFrom-Json
    }
    finally {
        Remove-Item $stdout, $stderr -ErrorAction SilentlyContinue
    }
}

# Milliseconds of each pwsh -Command run, $ProcessRuns times, the commands in turn so a drift falls on all alike.
function Measure-Start([System.Collections.Specialized.OrderedDictionary] $Commands) {
    $timings = [ordered]@{}
    foreach ($name in $Commands.Keys) {
        $timings[$name] = [System.Collections.Generic.List[double]]::new()
        # One unmeasured start each, so the files pwsh reads are in the OS cache for every measured run.
        & $Pwsh -NoProfile -NonInteractive -Command $Commands[$name]
    }
    for ($i = 0; $i -lt $ProcessRuns; $i++) {
        foreach ($name in $Commands.Keys) {
            $timings[$name].Add((Measure-Once { & $Pwsh -NoProfile -NonInteractive -Command $Commands[$name] }))
            if ($LASTEXITCODE -ne 0) { throw "pwsh -Command `"$($Commands[$name])`" failed with exit code $LASTEXITCODE." }
        }
    }
    $timings
}

# A module with a manifest and nothing else: the least any Import-Module does.
function New-EmptyModule {
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('ncpkms-bench-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $folder
    $manifest = Join-Path $folder 'Empty.psd1'
    New-ModuleManifest -Path $manifest -ModuleVersion 1.0.0 -CmdletsToExport @() -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @()
    $manifest
}

#endregion

#region Figures

<#
One row of the report. The ratio is always NcpKms ÷ baseline. The target is one or more criteria, any of
which passes: Ratio (the ratio at most Limit), Added (NcpKms − baseline at most Limit) or Value (NcpKms at
most Limit), shown as Text when given. No criteria: reported without a target. NcpKms $null: the feature is
missing (n/a, with a Note saying which).
#>
function New-Figure {
    param(
        [string] $Id, [string] $Figure, [string] $Unit, $NcpKms, $Baseline,
        [hashtable[]] $Target = @(), [string] $Note, [hashtable] $Samples
    )
    $ratio = ($null -ne $NcpKms -and $Baseline) ? $NcpKms / $Baseline : $null
    $result = if ($null -eq $NcpKms) { 'n/a' }
    elseif (-not $Target) { 'report' }
    elseif ($Target | Where-Object { (Get-CriterionValue $_ $NcpKms $Baseline $ratio) -le $_.Limit }) { 'pass' }
    else { 'FAIL' }
    [pscustomobject][ordered]@{
        Id       = $Id
        Figure   = $Figure
        Unit     = $Unit
        NcpKms   = $NcpKms
        Baseline = $Baseline
        Ratio    = $ratio
        Target   = ($Target | ForEach-Object { Format-Criterion $_ $Unit }) -join ' or '
        Result   = $result
        Note     = $Note
        Samples  = $Samples
    }
}

function Get-CriterionValue([hashtable] $Criterion, $NcpKms, $Baseline, $Ratio) {
    switch ($Criterion.Measure) {
        'Ratio' { $Ratio }
        'Added' { $NcpKms - $Baseline }
        'Value' { $NcpKms }
    }
}

function Format-Criterion([hashtable] $Criterion, [string] $Unit) {
    if ($Criterion.ContainsKey('Text')) { return $Criterion.Text }
    switch ($Criterion.Measure) {
        'Ratio' { 'ratio ≤ {0:0.##}' -f $Criterion.Limit }
        'Added' { 'added ≤ {0:0.#} {1}' -f $Criterion.Limit, $Unit }
        'Value' { '≤ {0:0.#} {1}' -f $Criterion.Limit, $Unit }
    }
}

function Get-SampleSet([System.Collections.IDictionary] $Timings) {
    $samples = @{}
    foreach ($key in $Timings.Keys) { $samples[$key] = [double[]] $Timings[$key] }
    $samples
}

# (1) Import: pwsh started bare, with an empty module and with NcpKms, in turn; then the first call in a new process.
function Measure-Import($Emulator, [string] $KeyTag) {
    Write-Host "Import: $ProcessRuns × (pwsh -c exit, pwsh -c Import-Module of an empty module and of NcpKms, first call)"
    $empty = New-EmptyModule
    $commands = [ordered]@{ Start = 'exit'; Empty = "Import-Module '$empty'"; Import = "Import-Module '$ModulePath'" }
    try {
        $timings = Measure-Start $commands
    }
    finally {
        Remove-Item (Split-Path $empty -Parent) -Recurse -Force
    }
    New-Figure -Id 'import.added' -Figure 'Import-Module: pwsh start with import vs without' -Unit 'ms' `
        -NcpKms (Get-Median $timings.Import) -Baseline (Get-Median $timings.Start) -Target @{ Measure = 'Added'; Limit = 50 } `
        -Samples (Get-SampleSet $timings)
    New-Figure -Id 'import.own' -Figure 'Import-Module: NcpKms vs an empty manifest module' -Unit 'ms' `
        -NcpKms (Get-Median $timings.Import) -Baseline (Get-Median $timings.Empty) `
        -Note "PowerShell's first Import-Module in a process costs the same for any module; this is what NcpKms adds to it."

    $calls = foreach ($i in 1..$ProcessRuns) {
        Invoke-Probe -Name FirstCall -Arguments @{ ModulePath = $ModulePath; KeyTag = $KeyTag } -Environment (Get-ChildEnvironment $Emulator)
    }
    New-Figure -Id 'import.firstCall' -Figure 'First call in a new process vs the same call again (Get-NcpKmsKey)' -Unit 'ms' `
        -NcpKms (Get-Median $calls.FirstMs) -Baseline (Get-Median $calls.SecondMs) -Target @{ Measure = 'Value'; Limit = 100 } `
        -Samples @{ First = [double[]] $calls.FirstMs; Again = [double[]] $calls.SecondMs }
}

# The parameters that keep a cmdlet to one request at a time, each for one item, where the module has them:
# the per-call figures compare the same requests, one after another, as the raw loop sends them.
function Get-OneAtATime([string] $Command) {
    $parameters = @{}
    foreach ($name in 'ThrottleLimit', 'BatchSize') {
        if (Test-Parameter $Command $name) { $parameters[$name] = 1 }
    }
    $parameters
}

function New-PerCallFigure([string] $Id, [string] $What, [System.Collections.IDictionary] $Timings, [string] $Note) {
    $ncpKms = Get-Median $Timings['NcpKms, piped']
    $raw = Get-Median $Timings['Raw HttpClient']
    $samples = Get-SampleSet $Timings
    New-Figure -Id "$Id.raw" -Figure "$What, piped vs raw HttpClient loop" -Unit 'ms' -NcpKms $ncpKms -Baseline $raw `
        -Target @{ Measure = 'Ratio'; Limit = 1.25 } -Note $Note -Samples $samples
    New-Figure -Id "$Id.handWritten" -Figure "$What, piped vs hand-written function" -Unit 'ms' -NcpKms $ncpKms `
        -Baseline (Get-Median $Timings['Hand-written']) -Target @{ Measure = 'Ratio'; Limit = 1 / 3; Text = 'ratio ≤ 0.33 (3× faster)' } -Note $Note
    New-Figure -Id "$Id.foreach" -Figure "$What, one call per item in foreach vs raw HttpClient loop" -Unit 'ms' `
        -NcpKms (Get-Median $Timings['NcpKms, foreach']) -Baseline $raw -Note $Note
}

# (2) Per-call cost of rotation: every contender rotates the same keys once per repetition.
function Measure-Rotation($Emulator) {
    Write-Host "Per call: rotating $Count keys, $Repeat times each way"
    $tags = Add-BenchKey $Emulator 'rot' $Count
    $raw = [NcpKmsBench.RawClient]::new($Emulator.Endpoint, $Emulator.AccessKey, $Emulator.SecretKey)
    $oneAtATime = Get-OneAtATime Invoke-NcpKmsKeyRotation
    Set-HandWrittenConnection $Emulator
    try {
        $timings = Measure-Contender -Items $tags -Contenders ([ordered]@{
                'NcpKms, piped'  = { param($keyTags) $null = $keyTags | Invoke-NcpKmsKeyRotation @oneAtATime }
                'Raw HttpClient' = { param($keyTags) $null = $raw.RotateEach($keyTags) }
                'Hand-written'   = { param($keyTags) foreach ($tag in $keyTags) { $null = Invoke-NcpKeyRotation $tag } }
                'NcpKms, foreach' = { param($keyTags) foreach ($tag in $keyTags) { $null = Invoke-NcpKmsKeyRotation -KeyTag $tag @oneAtATime } }
            })
    }
    finally {
        $raw.Dispose()
    }
    New-PerCallFigure 'rotate' ('Rotate {0:N0} keys' -f $Count) $timings (Format-Parameter $oneAtATime)
}

# (2) Per-call cost of encryption: small values, one per request, under one AES key.
function Measure-Encryption($Emulator) {
    Write-Host "Per call: encrypting $Count values, $Repeat times each way"
    $keyTag = (Add-NcpKmsEmulatorKey -Emulator $Emulator -Name 'encrypt').KeyTag
    $values = [string[]] (1..$Count | ForEach-Object { "value-$_" })
    $raw = [NcpKmsBench.RawClient]::new($Emulator.Endpoint, $Emulator.AccessKey, $Emulator.SecretKey)
    $oneAtATime = Get-OneAtATime Protect-NcpKmsData
    Set-HandWrittenConnection $Emulator
    try {
        $timings = Measure-Contender -Items $values -Contenders ([ordered]@{
                'NcpKms, piped'  = { param($plaintexts) $null = $plaintexts | Protect-NcpKmsData -KeyTag $keyTag @oneAtATime }
                'Raw HttpClient' = { param($plaintexts) $null = $raw.EncryptEach($keyTag, $plaintexts) }
                'Hand-written'   = { param($plaintexts) foreach ($value in $plaintexts) { $null = Protect-NcpValue $keyTag $value } }
                'NcpKms, foreach' = { param($plaintexts) foreach ($value in $plaintexts) { $null = Protect-NcpKmsData -KeyTag $keyTag -Plaintext $value @oneAtATime } }
            })
    }
    finally {
        $raw.Dispose()
    }
    New-PerCallFigure 'encrypt' ('Encrypt {0:N0} values' -f $Count) $timings (Format-Parameter $oneAtATime)
}

function Set-HandWrittenConnection($Emulator) {
    $script:NcpEndpoint = $Emulator.Endpoint
    $script:NcpAccessKey = $Emulator.AccessKey
    $script:NcpSecretKey = $Emulator.SecretKey
}

function Format-Parameter([hashtable] $Parameters) {
    if ($Parameters.Count -eq 0) { return $null }
    'NcpKms ran with ' + (($Parameters.Keys | Sort-Object | ForEach-Object { "-$_ $($Parameters[$_])" }) -join ' ')
}

# (3) Bulk: rotation with -ThrottleLimit against an emulator that holds every answer back by $Latency.
function Measure-Bulk($Emulator) {
    $n = '{0:N0}' -f $BulkCount
    $figure = "Rotate $n keys, -ThrottleLimit $ThrottleLimit, $($Latency.TotalMilliseconds) ms latency vs ideal ($n × latency ÷ $ThrottleLimit)"
    $ideal = $BulkCount * $Latency.TotalMilliseconds / $ThrottleLimit
    $target = @{ Measure = 'Ratio'; Limit = 1.5 }
    if (-not (Test-Parameter Invoke-NcpKmsKeyRotation ThrottleLimit)) {
        return New-Figure -Id 'bulk.rotate' -Figure $figure -Unit 'ms' -NcpKms $null -Baseline $ideal -Target $target `
            -Note 'Invoke-NcpKmsKeyRotation has no -ThrottleLimit parameter.'
    }
    Write-Host "Bulk: rotating $BulkCount keys with -ThrottleLimit $ThrottleLimit, $Repeat times"
    # An emulator of its own, so the latency touches no other figure.
    $slow = Start-BenchEmulator
    try {
        $tags = Add-BenchKey $slow 'bulk' $BulkCount
        Set-NcpKmsEmulatorFault -Emulator $slow -Latency $Latency
        $timings = Measure-Contender -Items $tags -Contenders ([ordered]@{
                'NcpKms' = { param($keyTags) $null = $keyTags | Invoke-NcpKmsKeyRotation -ThrottleLimit $ThrottleLimit }
            })
    }
    finally {
        Stop-NcpKmsEmulator -Emulator $slow
        Connect-BenchEmulator $Emulator
    }
    New-Figure -Id 'bulk.rotate' -Figure $figure -Unit 'ms' -NcpKms (Get-Median $timings.NcpKms) -Baseline $ideal -Target $target `
        -Samples (Get-SampleSet $timings)
}

# (4) Batching: the module's default for many small values against one value per request.
function Measure-Batching($Emulator) {
    $figure = "Encrypt $('{0:N0}' -f $Count) small values, default (batched) vs -BatchSize 1"
    # Batching is worth having only if it is faster: the default must beat one value per request.
    $target = @{ Measure = 'Ratio'; Limit = 1 }
    if (-not (Test-Parameter Protect-NcpKmsData BatchSize)) {
        return New-Figure -Id 'batch.encrypt' -Figure $figure -Unit 'ms' -NcpKms $null -Baseline $null -Target $target `
            -Note 'Protect-NcpKmsData has no -BatchSize parameter.'
    }
    Write-Host "Batching: encrypting $Count values batched and one by one, $Repeat times each"
    $keyTag = (Add-NcpKmsEmulatorKey -Emulator $Emulator -Name 'batch').KeyTag
    $values = [string[]] (1..$Count | ForEach-Object { "value-$_" })
    $timings = Measure-Contender -Items $values -Contenders ([ordered]@{
            'Batched'     = { param($plaintexts) $null = $plaintexts | Protect-NcpKmsData -KeyTag $keyTag }
            'BatchSize 1' = { param($plaintexts) $null = $plaintexts | Protect-NcpKmsData -KeyTag $keyTag -BatchSize 1 }
        })
    New-Figure -Id 'batch.encrypt' -Figure $figure -Unit 'ms' -NcpKms (Get-Median $timings.Batched) `
        -Baseline (Get-Median $timings['BatchSize 1']) -Target $target -Samples (Get-SampleSet $timings)
}

# (5) Memory: each workload in a new process with $MemoryCount items and with a hundredth of them (1,000 at most).
function Measure-Memory($Emulator) {
    $small = [Math]::Min(1000, [Math]::Max(1, [int]($MemoryCount / 100)))
    Write-Host "Memory: $MemoryCount and $small items through Protect-NcpKmsData and Invoke-NcpKmsKeyRotation (-WhatIf and real)"
    $keyTag = (Add-NcpKmsEmulatorKey -Emulator $Emulator -Name 'memory').KeyTag
    # Real rotations need a key per item; the probe reads their tags from a file as it goes.
    $tagFile = [IO.Path]::GetTempFileName()
    try {
        Add-BenchKey $Emulator 'mem' $MemoryCount | Set-Content -Path $tagFile
        foreach ($workload in Get-MemoryWorkload) {
            Measure-MemoryWorkload $Emulator $workload $small @{ KeyTag = $keyTag; KeyTagFile = $tagFile }
        }
    }
    finally {
        Remove-Item $tagFile -ErrorAction SilentlyContinue
    }
}

function Get-MemoryWorkload {
    @{ Name = 'Encrypt'; Command = 'Protect-NcpKmsData'; Shown = 'Protect-NcpKmsData' }
    @{ Name = 'Rotate'; Command = 'Invoke-NcpKmsKeyRotation'; Shown = 'Invoke-NcpKmsKeyRotation, a key per item' }
    @{ Name = 'RotateWhatIf'; Command = 'Invoke-NcpKmsKeyRotation'; Shown = 'Invoke-NcpKmsKeyRotation -WhatIf' }
}

function Measure-MemoryWorkload($Emulator, [hashtable] $Workload, [int] $Small, [hashtable] $Keys) {
    # Where the cmdlet can run requests at once, that is the path measured: it is the one that could buffer.
    $throttle = (Test-Parameter $Workload.Command ThrottleLimit) ? $ThrottleLimit : 0
    $note = $throttle ? "NcpKms ran with -ThrottleLimit $throttle" : $null
    $runs = foreach ($items in $Small, $MemoryCount) {
        $arguments = @{ ModulePath = $ModulePath; Workload = $Workload.Name; Count = $items; ThrottleLimit = $throttle } + $Keys
        Invoke-Probe -Name Memory -Arguments $arguments -Environment (Get-ChildEnvironment $Emulator)
    }
    $what = '{0}, {1:N0} vs {2:N0} items' -f $Workload.Shown, $MemoryCount, $Small
    # A streaming cmdlet's live heap does not grow at all; buffering 100,000 values would add tens of MB.
    New-Figure -Id "memory.$($Workload.Name).heap" -Figure "$what`: peak live managed heap" -Unit 'MB' `
        -NcpKms $runs[1].PeakHeapMB -Baseline $runs[0].PeakHeapMB -Target @{ Measure = 'Added'; Limit = 4 } -Note $note
    # The working set carries the runtime (over 100 MB) and uncollected garbage, so only a ratio says anything.
    New-Figure -Id "memory.$($Workload.Name).workingSet" -Figure "$what`: peak working set" -Unit 'MB' `
        -NcpKms $runs[1].PeakWorkingSetMB -Baseline $runs[0].PeakWorkingSetMB -Target @{ Measure = 'Ratio'; Limit = 1.5 } -Note $note
}

#endregion

#region Report

function Format-Amount($Value, [string] $Unit) {
    if ($null -eq $Value) { return '—' }
    $format = ($Value -ge 100) ? '{0:N0} {1}' : '{0:N1} {1}'
    $format -f $Value, $Unit
}

function ConvertTo-TableRow($Figure) {
    [pscustomobject][ordered]@{
        Figure   = $Figure.Figure
        NcpKms   = Format-Amount $Figure.NcpKms $Figure.Unit
        Baseline = Format-Amount $Figure.Baseline $Figure.Unit
        Ratio    = ($null -eq $Figure.Ratio) ? '—' : '{0:0.00}' -f $Figure.Ratio
        Target   = $Figure.Target ? $Figure.Target : '—'
        Result   = $Figure.Result
    }
}

function Write-Report($Report, [string] $Path) {
    $folder = Split-Path $Path -Parent
    if (-not (Test-Path $folder)) { $null = New-Item -ItemType Directory -Path $folder }
    $Report | ConvertTo-Json -Depth 6 | Set-Content -Path $Path -Encoding utf8
    $machine = $Report.Machine
    Write-Host ''
    Write-Host ("NcpKms $($Report.Module.Version) ($($Report.Module.Source)) on $($machine.OS), $($machine.CpuCount) × $($machine.CpuModel), " +
        "$($machine.DotNet), pwsh $($machine.Pwsh), load average before the run $($machine.LoadAverage), $($Report.DurationSeconds) s")
    $Report.Figures | ForEach-Object { ConvertTo-TableRow $_ } | Format-Table -AutoSize -Wrap | Out-String -Width 250 | Write-Host
    foreach ($figure in $Report.Figures | Where-Object Note) { Write-Host "$($figure.Id): $($figure.Note)" }
    Write-Host "Written to $Path"
}

#endregion

if ($Quick) { Set-QuickDefault $PSBoundParameters }
# At script scope, where the contenders find its functions.
. (Join-Path $PSScriptRoot 'Baselines/HandWritten.ps1')
if (-not $ResultPath) { $ResultPath = Join-Path $PSScriptRoot ("results/{0:yyyyMMdd-HHmmss}.json" -f [DateTime]::Now) }
Initialize-Module
$machine = Get-Machine
$started = [DateTimeOffset]::Now
$emulator = Start-BenchEmulator
try {
    # The first-call probe reads one key; one call here first, so the emulator's own start-up is not in it.
    $probeKey = (Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'probe').KeyTag
    $null = Get-NcpKmsKey -KeyTag $probeKey
    $figures = @(
        Measure-Import $emulator $probeKey
        Measure-Rotation $emulator
        Measure-Encryption $emulator
        Measure-Bulk $emulator
        Measure-Batching $emulator
        Measure-Memory $emulator
    )
}
finally {
    Disconnect-NcpKms
    Stop-NcpKmsEmulator -Emulator $emulator
}

Write-Report -Path $ResultPath -Report ([ordered]@{
        Timestamp       = $started.ToString('o')
        DurationSeconds = [Math]::Round(([DateTimeOffset]::Now - $started).TotalSeconds, 1)
        Machine         = $machine
        Module          = [ordered]@{ Version = "$((Get-Module NcpKms).Version)"; Source = Get-SourceVersion; Features = Get-Feature }
        Parameters      = [ordered]@{
            Count = $Count; BulkCount = $BulkCount; MemoryCount = $MemoryCount; Repeat = $Repeat; ProcessRuns = $ProcessRuns
            ThrottleLimit = $ThrottleLimit; LatencyMs = $Latency.TotalMilliseconds; Quick = [bool] $Quick
        }
        Figures         = $figures
    })
