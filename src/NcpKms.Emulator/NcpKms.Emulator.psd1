@{
    RootModule           = 'NcpKms.Emulator.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'a66ee626-3442-414e-9fad-aed7ce6b699a'
    Author               = 'NcpKms contributors'
    CompanyName          = 'NcpKms contributors'
    Copyright            = '(c) NcpKms contributors. MIT License.'
    Description          = 'A local, in-process emulator of the NAVER Cloud Platform Key Management Service REST API 2.0 for tests and demos: signature v2 and token authentication, all 39 operations with real cryptography, KMS response and error shapes, in-memory keys on a loopback HTTP server, fault injection (throttling, failures, latency, dropped connections, HTML pages) and an optional state file.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NcpKms.Emulator.format.ps1xml')
    CmdletsToExport      = @(
        'Start-NcpKmsEmulator'
        'Stop-NcpKmsEmulator'
        'Add-NcpKmsEmulatorKey'
        'Get-NcpKmsEmulatorRequest'
        'Set-NcpKmsEmulatorClock'
        'Set-NcpKmsEmulatorFault'
        'Get-NcpKmsEmulatorFault'
        'Clear-NcpKmsEmulatorFault'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NCP', 'NaverCloud', 'NCloud', 'KMS', 'Emulator', 'Testing', 'Pester', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/NcpKms/NcpKms'
            LicenseUri   = 'https://github.com/NcpKms/NcpKms/blob/main/LICENSE'
        }
    }
}
