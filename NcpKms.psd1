@{
    RootModule           = 'NcpKms.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f1f62-2f5b-4b7e-9f0e-8a3c2e6b9c41'
    Author               = 'NcpKms contributors'
    CompanyName          = 'NcpKms contributors'
    Copyright            = '(c) NcpKms contributors. MIT License.'
    Description          = 'Manage NAVER Cloud Platform Key Management Service (KMS API 2.0) keys from PowerShell: signed requests, typed objects, pipeline-friendly key rotation.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NcpKms.format.ps1xml')
    CmdletsToExport      = @(
        'Add-NcpKmsKeyAclRule'
        'Connect-NcpKms'
        'Disable-NcpKmsKey'
        'Disable-NcpKmsKeyAcl'
        'Disable-NcpKmsKeyVersion'
        'Disconnect-NcpKms'
        'Enable-NcpKmsKey'
        'Enable-NcpKmsKeyAcl'
        'Enable-NcpKmsKeyVersion'
        'Get-NcpKmsContext'
        'Get-NcpKmsKey'
        'Get-NcpKmsKeyAcl'
        'Get-NcpKmsKeyActivity'
        'Get-NcpKmsKeyLastUse'
        'Get-NcpKmsKeyVersion'
        'Get-NcpKmsPublicKey'
        'Get-NcpKmsTokenGenerator'
        'Invoke-NcpKmsKeyRotation'
        'Move-NcpKmsKey'
        'New-NcpKmsAccessToken'
        'New-NcpKmsDataKey'
        'New-NcpKmsKey'
        'New-NcpKmsSignature'
        'New-NcpKmsToken'
        'New-NcpKmsTokenGenerator'
        'Protect-NcpKmsData'
        'Remove-NcpKmsKey'
        'Remove-NcpKmsKeyAclRule'
        'Remove-NcpKmsTokenGenerator'
        'Reset-NcpKmsTokenGenerator'
        'Set-NcpKmsKey'
        'Set-NcpKmsKeyRotationPolicy'
        'Test-NcpKmsSignature'
        'Undo-NcpKmsKeyRemoval'
        'Unprotect-NcpKmsData'
        'Update-NcpKmsCiphertext'
        'Update-NcpKmsToken'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NCP', 'NaverCloud', 'NCloud', 'KMS', 'KeyManagement', 'Encryption', 'Security', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/NcpKms/NcpKms'
            LicenseUri   = 'https://github.com/NcpKms/NcpKms/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- Every KMS API 2.0 operation as a cmdlet: keys and their lifecycle, rotation and versions, migration,
  encrypt/decrypt/re-encrypt, data keys, sign/verify, public keys, token generators and tokens, IP ACL,
  activity logs.
- One signed-request core (signature v2, or a KMS token) over one shared connection pool, with retries that
  never repeat a state change, rotation recovery after a lost answer, and clock-skew correction.
- Credential chain: -Context, Connect-NcpKms, NCLOUD_* environment variables, ~/.ncloud/configure profiles.
- Tab completion of key tags; typed, formatted output; help for every cmdlet and about_NcpKms.
- NcpKms.Emulator: a local KMS API 2.0 emulator with fault injection and a state file, for tests and demos.
'@
        }
    }
}
