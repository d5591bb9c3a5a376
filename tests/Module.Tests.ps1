BeforeAll {
    . $PSScriptRoot/Common.ps1
    $moduleFolder = Split-Path $ModulePath -Parent
    $manifest = Import-PowerShellDataFile $ModulePath
    $cmdlets = Get-Command -Module NcpKms
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $ModulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports an explicit list of cmdlets that matches what the module has' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        $manifest.CmdletsToExport | Sort-Object | Should -Be ($cmdlets.Name | Sort-Object)
        $manifest.FunctionsToExport.Count | Should -Be 0
        $manifest.AliasesToExport.Count | Should -Be 0
        $manifest.VariablesToExport.Count | Should -Be 0
    }

    It 'targets PowerShell 7.4 Core and carries the gallery metadata' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be 'Core'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'KMS'
        $manifest.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'ships only the manifest, the DLL, the format file and the help' {
        $files = Get-ChildItem $moduleFolder -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($moduleFolder, $_.FullName) -replace '\\', '/' }

        $files | Sort-Object | Should -Be @('en-US/about_NcpKms.help.txt', 'en-US/NcpKms.dll-Help.xml', 'NcpKms.dll', 'NcpKms.format.ps1xml', 'NcpKms.psd1')
    }
}

Describe 'Cmdlet conventions' {
    It 'declares an output type for <Name>' -ForEach @(Get-Command -Module NcpKms | ForEach-Object { @{ Name = $_.Name; Command = $_ } }) {
        $Command.OutputType.Count | Should -BeGreaterThan 0
    }

    It 'has a table view for <Type>' -ForEach @(
        # The module's own types; the .NET types some cmdlets write (String, Boolean, SecureString, Byte[], FileInfo) are PowerShell's to format.
        Get-Command -Module NcpKms | ForEach-Object OutputType | Where-Object Name -Like 'NcpKms.*' |
            Select-Object -ExpandProperty Name -Unique | ForEach-Object { @{ Type = $_ } }
    ) {
        $view = Get-FormatData -TypeName $Type -PowerShellVersion $PSVersionTable.PSVersion
        $view | Should -Not -BeNullOrEmpty
        $view.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] } | Should -Not -BeNullOrEmpty
    }

    It 'takes -Context on <Name>' -ForEach @(
        Get-Command -Module NcpKms | Where-Object Name -NotIn 'Connect-NcpKms', 'Disconnect-NcpKms', 'Get-NcpKmsContext' |
            ForEach-Object { @{ Name = $_.Name } }
    ) {
        (Get-Command $Name).Parameters['Context'].ParameterType.FullName | Should -Be 'NcpKms.Context'
    }

    It 'takes -KeyTag by property name and completes it on <Name>' -ForEach @(
        Get-Command -Module NcpKms | Where-Object { $_.Parameters.ContainsKey('KeyTag') } | ForEach-Object { @{ Name = $_.Name } }
    ) {
        $parameter = (Get-Command $Name).Parameters['KeyTag']
        $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
        $completer = $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })
        $completer.Type.Name | Should -Be 'KeyTagCompleter'
    }

    It 'supports -WhatIf and -Confirm on <Name>, which changes state' -ForEach @(
        Get-Command -Module NcpKms |
            Where-Object { $_.Verb -in 'New', 'Set', 'Enable', 'Disable', 'Remove', 'Undo', 'Move', 'Reset', 'Add', 'Invoke', 'Update' } |
            Where-Object Name -NotIn 'New-NcpKmsDataKey', 'New-NcpKmsSignature', 'Update-NcpKmsCiphertext' |
            ForEach-Object { @{ Name = $_.Name } }
    ) {
        $attribute = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
    }

    It 'asks for confirmation by default and offers -Force on <Name>, which destroys' -ForEach @(
        'Remove-NcpKmsKey', 'Move-NcpKmsKey', 'Reset-NcpKmsTokenGenerator', 'Remove-NcpKmsTokenGenerator', 'Remove-NcpKmsKeyAclRule' |
            Where-Object { Get-Command $_ -Module NcpKms -ErrorAction SilentlyContinue } | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        $command.Parameters['Force'].SwitchParameter | Should -BeTrue
    }

    It 'takes -KeyTag at position 0 from the pipeline by value and by property name on <Name>' -ForEach @(
        'Get-NcpKmsKeyVersion', 'Invoke-NcpKmsKeyRotation' | ForEach-Object { @{ Name = $_ } }
    ) {
        Assert-KeyTagBinding $Name
    }
}
