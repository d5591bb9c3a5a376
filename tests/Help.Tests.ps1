# Help as users see it: Get-Help on the built modules (MAML from tools/Build-ModuleHelp.ps1), the about_NcpKms
# topic, and the generator's refusal to build incomplete help.

BeforeDiscovery {
    # -ForEach data is bound at discovery, before BeforeAll runs, so the exported cmdlets are read here.
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cmdlets = foreach ($path in $ModulePath, $EmulatorModulePath) {
        $module = Import-Module $path -PassThru
        foreach ($name in $module.ExportedCmdlets.Keys) { @{ Name = $name; Module = $module.Name } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModulePath
    Import-Module $EmulatorModulePath
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    # The text of a MAML description node (an array of paragraphs) as one string.
    function Get-HelpText($Node) { (@($Node) | ForEach-Object { $_.Text }) -join "`n" }
}

Describe 'Cmdlet help' {
    It 'covers the cmdlets of <_>' -ForEach 'NcpKms', 'NcpKms.Emulator' {
        # Guards the -ForEach tests below: a module exporting no cmdlets would make them silently not run.
        (Get-Module $_).ExportedCmdlets.Count | Should -BeGreaterThan 0
    }

    Context '<Name> (<Module>)' -ForEach $cmdlets {
        BeforeAll {
            $help = Get-Help $Name -Full
            $command = Get-Command $Name
        }

        It 'comes from the module help file' {
            # Without a help file, Get-Help makes up help whose synopsis is the syntax.
            $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
            $help.ModuleName | Should -Be $Module
        }

        It 'has a synopsis' {
            $help.Synopsis | Should -Match '\w{3,}'
            $help.Synopsis | Should -Not -Match '<CommonParameters>' -Because 'a made-up synopsis is the syntax'
        }

        It 'has a description' {
            Get-HelpText $help.description | Should -Match '\w{3,}'
        }

        It 'documents every parameter of <Name>' {
            $parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
            $documented = @($help.parameters.parameter | Where-Object { $_ })
            foreach ($parameter in $parameters) {
                $entry = $documented | Where-Object name -EQ $parameter
                $entry | Should -Not -BeNullOrEmpty -Because "-$parameter is a parameter of $Name"
                Get-HelpText $entry.description | Should -Match '\w{3,}' -Because "-$parameter needs a description"
            }
        }

        It 'documents no parameter that <Name> does not have' {
            foreach ($entry in @($help.parameters.parameter | Where-Object { $_ })) {
                $command.Parameters.Keys | Should -Contain $entry.name
            }
        }

        It 'shows one syntax per parameter set' {
            @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
        }

        It 'has at least two examples with code and an explanation' {
            $examples = @($help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                $example.code | Should -Not -BeNullOrEmpty
                Get-HelpText $example.remarks | Should -Match '\w{3,}'
            }
        }

        It 'lists the [OutputType] of <Name> under OUTPUTS' {
            $declared = @($command.OutputType.Name | Where-Object { $_ -ne 'System.Void' } | Sort-Object)
            $expected = if ($declared) { $declared } else { @('None') }
            $documented = @($help.returnValues.returnValue.type.name | Where-Object { $_ -ne 'None' -or -not $declared } | Sort-Object)
            $documented | Should -Be $expected
        }
    }
}

Describe 'about_NcpKms' {
    BeforeAll {
        $topic = Get-Help about_NcpKms -ErrorAction Stop | Out-String
    }

    It 'is returned by Get-Help about_NcpKms' {
        $topic | Should -Match 'about_NcpKms'
        $topic | Should -Match 'SHORT DESCRIPTION'
    }

    It 'states the credential order: -Context, session, environment variables, configure file' {
        $section = [regex]::Match($topic, '(?ms)^CREDENTIAL RESOLUTION ORDER\s*$(.*?)^ENDPOINTS\s*$').Groups[1].Value
        $section | Should -Not -BeNullOrEmpty
        $positions = '-Context', 'Connect-NcpKms', 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_ACCESS_KEY', '.ncloud', 'NcpKms.CredentialsNotFound' |
            ForEach-Object { $section.IndexOf($_, [StringComparison]::Ordinal) }
        $positions | Should -Not -Contain -1
        $positions | Should -Be ($positions | Sort-Object) -Because 'the sources are listed in the order they are tried'
    }

    It 'names every spelling of the credential variables and NCLOUD_PROFILE' {
        foreach ($variable in 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_ACCESS_KEY', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_SECRET_KEY', 'NCLOUD_PROFILE') {
            $topic | Should -Match "\b$variable\b"
        }
    }

    It 'explains NCLOUD_KMS_ENDPOINT and the site and region hosts' {
        $topic | Should -Match 'NCLOUD_KMS_ENDPOINT'
        foreach ($hostName in 'ocapi.ncloud.com', 'ocapi-kr.ncloud.com', 'ocapi-jp.ncloud.com', 'ocapi.gov-ncloud.com') {
            $topic | Should -Match ([regex]::Escape("https://$hostName"))
        }
    }

    It 'lists every error id in its ERRORS section' {
        $section = [regex]::Match($topic, '(?ms)^ERRORS\s*$(.*?)^USING NCPKMS IN CI PIPELINES\s*$').Groups[1].Value
        $ids = 'CredentialsNotFound', 'IncompleteCredentials', 'ProfileNotFound', 'InvalidEndpoint', 'InvalidKeyTag',
        'AuthenticationFailed', 'ClockSkew', 'PermissionDenied', 'KeyNotFound', 'InvalidRequest', 'InvalidKeyState',
        'Throttled', 'ServiceUnavailable', 'ConnectionFailed', 'Timeout', 'InvalidResponse', 'ServiceError'
        foreach ($id in $ids) { $section | Should -Match "NcpKms\.$id\b" }
    }

    It 'covers CI use and the emulator' {
        $topic | Should -Match 'GitHub Actions'
        $topic | Should -Match 'Azure DevOps'
        $topic | Should -Match 'Start-NcpKmsEmulator'
    }
}

Describe 'Help build' {
    BeforeAll {
        $generator = Join-Path $RepoRoot 'tools/Build-ModuleHelp.ps1'
        $source = Join-Path $RepoRoot 'docs/help/NcpKms'

        # Runs the generator on a copy of the NcpKms help sources changed by $Change and returns its report:
        # the problem list it writes to the host, then the message it throws. A failing run writes no help
        # file, so the built module is left alone.
        function Invoke-BrokenHelpBuild([scriptblock] $Change) {
            $copy = Join-Path $TestDrive ([guid]::NewGuid())
            $null = New-Item -ItemType Directory -Path $copy
            Copy-Item (Join-Path $source '*') $copy
            & $Change $copy
            $report = [System.Collections.Generic.List[string]]::new()
            try { & $generator -ManifestPath $ModulePath -SourcePath $copy 6>&1 | ForEach-Object { $report.Add([string]$_) } }
            catch { return (@($report) + $_.Exception.Message) -join "`n" }
            throw 'The help build succeeded although the help sources were broken.'
        }

        function Edit-HelpSource([string] $Path, [string] $Pattern, [string] $Replacement) {
            $text = Get-Content -LiteralPath $Path -Raw
            $changed = [regex]::Replace($text, $Pattern, $Replacement, 'Multiline')
            if ($changed -eq $text) { throw "'$Pattern' not found in $Path" }
            Set-Content -LiteralPath $Path -Value $changed -NoNewline
        }
    }

    It 'fails when an exported cmdlet has no help source' {
        Invoke-BrokenHelpBuild { param($dir) Remove-Item (Join-Path $dir 'Get-NcpKmsKeyVersion.md') } |
            Should -Match 'Get-NcpKmsKeyVersion: no help source'
    }

    It 'fails when a parameter has no description' {
        $problem = Invoke-BrokenHelpBuild { param($dir)
            Edit-HelpSource (Join-Path $dir 'Get-NcpKmsKey.md') '^### -Name\r?\n[\s\S]*?(?=^### -KeyTag)' '' }
        $problem | Should -Match 'Get-NcpKmsKey: parameter -Name has no description'
    }

    It 'fails when the help source describes a parameter the cmdlet does not have' {
        Invoke-BrokenHelpBuild { param($dir)
            Edit-HelpSource (Join-Path $dir 'Get-NcpKmsKeyVersion.md') '^## INPUTS' "### -Version`nThe version.`n`n## INPUTS" } |
            Should -Match 'Get-NcpKmsKeyVersion: the help source describes -Version, which the cmdlet does not have'
    }

    It 'fails with fewer than two examples' {
        Invoke-BrokenHelpBuild { param($dir)
            Edit-HelpSource (Join-Path $dir 'Disconnect-NcpKms.md') '^### Example 2:[\s\S]*?(?=^## PARAMETERS)' '' } |
            Should -Match 'Disconnect-NcpKms: has 1 example\(s\); at least two are required'
    }

    It 'fails when a section is missing' {
        Invoke-BrokenHelpBuild { param($dir)
            Edit-HelpSource (Join-Path $dir 'Get-NcpKmsContext.md') '^## NOTES\r?\n[\s\S]*?(?=^## RELATED LINKS)' '' } |
            Should -Match "Get-NcpKmsContext: section '## NOTES' is missing"
    }

    It 'fails when OUTPUTS does not match [OutputType]' {
        Invoke-BrokenHelpBuild { param($dir)
            Edit-HelpSource (Join-Path $dir 'Invoke-NcpKmsKeyRotation.md') '^### NcpKms\.KeyRotation\r?$' '### NcpKms.Key' } |
            Should -Match "Invoke-NcpKmsKeyRotation: OUTPUTS lists 'NcpKms.Key' but \[OutputType\] declares 'NcpKms.KeyRotation'"
    }
}
