#Requires -Version 7.4
# docs/testing-runbooks.md shows the example runbook and its two test files in full. The files themselves live in
# docs/examples/ and build.ps1 runs the test files with the suite; this file checks that the page shows exactly
# those files, so neither the page nor the examples can drift from what is tested.

BeforeDiscovery {
    $root = Split-Path $PSScriptRoot -Parent
    $examples = Get-ChildItem (Join-Path $root 'docs/examples') -File | ForEach-Object { @{ Path = 'docs/examples/' + $_.Name } }
}

BeforeAll {
    $root = Split-Path $PSScriptRoot -Parent
    $page = (Get-Content -Raw (Join-Path $root 'docs/testing-runbooks.md')) -replace "`r`n", "`n"

    # Every block shown as a file: a line 'File: [`path`](link)', a blank line, then a powershell fence.
    $shown = @{}
    foreach ($match in [regex]::Matches($page, '(?ms)^File: \[`(?<path>[^`]+)`\]\((?<link>[^)]+)\)\n\n```powershell\n(?<code>.*?)^```')) {
        $shown[$match.Groups['path'].Value] = [pscustomobject]@{ Link = $match.Groups['link'].Value; Code = $match.Groups['code'].Value }
    }
}

Describe 'docs/testing-runbooks.md' {
    It 'shows <Path> exactly as the file is' -ForEach $examples {
        $shown.ContainsKey($Path) | Should -BeTrue -Because "every example file is shown on the page"
        $file = (Get-Content -Raw (Join-Path $root $Path)) -replace "`r`n", "`n"
        $shown[$Path].Code | Should -BeExactly $file
    }

    It 'shows no file that does not exist, and links each to its file' {
        $shown.Count | Should -BeGreaterOrEqual 3
        foreach ($path in $shown.Keys) {
            Join-Path $root $path | Should -Exist
            Join-Path $root 'docs' $shown[$path].Link | Should -Exist
        }
    }

    It 'shows a runbook, a test against the emulator and a test with Mock' {
        $shown['docs/examples/Rotate-AppKeys.ps1'].Code | Should -Match 'Invoke-NcpKmsKeyRotation'
        $shown['docs/examples/Rotate-AppKeys.Tests.ps1'].Code | Should -Match 'Start-NcpKmsEmulator'
        $shown['docs/examples/Rotate-AppKeys.Tests.ps1'].Code | Should -Match 'Set-NcpKmsEmulatorFault'
        $shown['docs/examples/Rotate-AppKeys.Mock.Tests.ps1'].Code | Should -Match 'Mock Invoke-NcpKmsKeyRotation'
    }

    It 'has its example tests run by the test suite' {
        Get-Content -Raw (Join-Path $root 'build.ps1') | Should -Match ([regex]::Escape("Join-Path `$root 'docs/examples'"))
    }
}
