<#
.SYNOPSIS
    Builds, documents and tests the NcpKms module.
.DESCRIPTION
    Build: compiles the solution and lays out the publishable module folders out/NcpKms and
    out/NcpKms.Emulator (manifest, DLL, format file, MAML help, about topics).
    Test:  Build, then the C# unit tests, then every Pester file under tests/ and docs/examples/ in this
           one pwsh process; ends with the line 'N passed, N failed, N skipped' and exits non-zero on any
           failure.
    Clean: removes out/ and the bin/obj folders.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Clean')]
    [string] $Task = 'Test',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [string] $PesterVersion = '5.7.1'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$root = $PSScriptRoot
$out = Join-Path $root 'out'

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "Command failed with exit code $LASTEXITCODE`: $Command" }
}

function Publish-Module([string] $Name, [string[]] $Extra) {
    $bin = Join-Path $root "src/$Name/bin/$Configuration/net8.0"
    $dest = Join-Path $out $Name
    if (Test-Path $dest) { Remove-Item $dest -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $dest
    Copy-Item (Join-Path $bin "$Name.dll") $dest
    foreach ($file in $Extra) { Copy-Item $file $dest }
    $dest
}

function Invoke-Build {
    Invoke-Native { dotnet build (Join-Path $root 'NcpKms.sln') -c $Configuration --nologo -v q -clp:NoSummary }
    $module = Publish-Module 'NcpKms' @(
        (Join-Path $root 'NcpKms.psd1'),
        (Join-Path $root 'src/NcpKms/NcpKms.format.ps1xml'))
    $emulator = Publish-Module 'NcpKms.Emulator' @(
        (Join-Path $root 'src/NcpKms.Emulator/NcpKms.Emulator.psd1'),
        (Join-Path $root 'src/NcpKms.Emulator/NcpKms.Emulator.format.ps1xml'))
    # Help is generated from the compiled cmdlets in a child process, so this process never loads
    # the module before the tests do and the parameter data cannot drift from the code.
    $pwsh = Join-Path $PSHOME 'pwsh'
    foreach ($folder in $module, $emulator) {
        $name = Split-Path $folder -Leaf
        Invoke-Native { & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tools/Build-ModuleHelp.ps1') `
                -ManifestPath (Join-Path $folder "$name.psd1") -SourcePath (Join-Path $root "docs/help/$name") }
    }
    Write-Host "Built $module and $emulator"
}

function Invoke-UnitTest {
    $results = Join-Path $out 'TestResults'
    $trx = Join-Path $results 'unit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $root 'tests/NcpKms.Tests/NcpKms.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=unit.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    if (-not (Test-Path $trx)) { throw "dotnet test wrote no results (exit code $LASTEXITCODE)" }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-PesterTest {
    # The tests run as users' scripts do, without this build script's strict mode.
    Set-StrictMode -Off
    $nuget = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    Import-Module (Join-Path $nuget "pester/$PesterVersion/tools/Pester.psd1") -Force
    $env:NCPKMS_MODULE_PATH = Join-Path $out 'NcpKms/NcpKms.psd1'
    $env:NCPKMS_EMULATOR_MODULE_PATH = Join-Path $out 'NcpKms.Emulator/NcpKms.Emulator.psd1'
    # The documentation's example tests import the modules by name, as a user's tests would.
    $env:PSModulePath = $out + [IO.Path]::PathSeparator + $env:PSModulePath
    $config = New-PesterConfiguration
    $config.Run.Path = @((Join-Path $root 'tests'), (Join-Path $root 'docs/examples'))
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.RenderMode = 'Plaintext'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $out 'TestResults/pester.xml'
    $result = Invoke-Pester -Configuration $config
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount }
}

switch ($Task) {
    'Clean' {
        foreach ($path in @($out) + (Get-ChildItem $root -Directory -Recurse -Include bin, obj).FullName) {
            if ($path -and (Test-Path $path)) { Remove-Item $path -Recurse -Force }
        }
    }
    'Build' { Invoke-Build }
    'Test' {
        Invoke-Build
        $unit = Invoke-UnitTest
        $pester = Invoke-PesterTest
        $passed = $unit.Passed + $pester.Passed
        $failed = $unit.Failed + $pester.Failed
        $skipped = $unit.Skipped + $pester.Skipped
        Write-Host "Unit tests: $($unit.Passed) passed, $($unit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
        Write-Host "$passed passed, $failed failed, $skipped skipped"
        exit ([int]($failed -gt 0))
    }
}
