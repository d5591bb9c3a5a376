# Shared set-up for every Pester file: dot-source it from BeforeAll.
# build.ps1 sets the module paths to the freshly built out/ folders; a developer running Pester by hand
# gets the same defaults.
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ModulePath = if ($env:NCPKMS_MODULE_PATH) { $env:NCPKMS_MODULE_PATH } else { Join-Path $RepoRoot 'out/NcpKms/NcpKms.psd1' }
$script:EmulatorModulePath = if ($env:NCPKMS_EMULATOR_MODULE_PATH) { $env:NCPKMS_EMULATOR_MODULE_PATH } else { Join-Path $RepoRoot 'out/NcpKms.Emulator/NcpKms.Emulator.psd1' }

Import-Module $script:EmulatorModulePath -Force:$false
