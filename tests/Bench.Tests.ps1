# A smoke test of the benchmark: it runs with tiny sizes and reports every figure of issue 5. The numbers are
# not checked against the targets: timings on a shared CI machine are the benchmark's business, not a test's.
BeforeDiscovery {
    $figureIds = @(
        'import.added', 'import.own', 'import.firstCall'
        'rotate.raw', 'rotate.handWritten', 'rotate.foreach'
        'encrypt.raw', 'encrypt.handWritten', 'encrypt.foreach'
        'bulk.rotate', 'batch.encrypt'
        'memory.Encrypt.heap', 'memory.Encrypt.workingSet', 'memory.Rotate.heap', 'memory.Rotate.workingSet'
        'memory.RotateWhatIf.heap', 'memory.RotateWhatIf.workingSet'
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $script:ResultPath = Join-Path $TestDrive 'bench.json'
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $bench = Join-Path $RepoRoot 'bench/Invoke-Benchmark.ps1'
    # In a new process, as it is run, so its Connect-NcpKms and emulators stay out of this one.
    $lines = & $pwsh -NoProfile -NonInteractive -File $bench -Quick -Count 20 -BulkCount 32 -MemoryCount 200 -Repeat 1 -ProcessRuns 1 `
        -ResultPath $ResultPath *>&1
    $script:ExitCode = $LASTEXITCODE
    $script:Output = $lines -join [Environment]::NewLine
    $script:Report = if (Test-Path $ResultPath) { Get-Content $ResultPath -Raw | ConvertFrom-Json }
}

AfterAll {
    Complete-TestSession
}

Describe 'bench/Invoke-Benchmark.ps1 -Quick' {
    It 'exits 0 and writes the JSON report' {
        $ExitCode | Should -Be 0 -Because $Output
        $Report | Should -Not -BeNullOrEmpty
    }

    It 'records the machine the numbers come from' {
        $Report.Machine.OS | Should -Not -BeNullOrEmpty
        $Report.Machine.CpuCount | Should -BeGreaterThan 0
        $Report.Machine.DotNet | Should -BeLike '.NET *'
        $Report.Machine.Pwsh | Should -Be "$($PSVersionTable.PSVersion)"
    }

    It 'reports every figure, in order' -ForEach @{ Ids = $figureIds } {
        @($Report.Figures.Id) | Should -Be $Ids
    }

    It 'gives <_> numbers, or n/a only where the module lacks the parameter it measures' -ForEach $figureIds {
        $figure = $Report.Figures | Where-Object Id -EQ $_
        $missing = @{ 'bulk.rotate' = 'Invoke-NcpKmsKeyRotation', 'ThrottleLimit'; 'batch.encrypt' = 'Protect-NcpKmsData', 'BatchSize' }[$_]
        if ($missing -and -not (Get-Command $missing[0]).Parameters.ContainsKey($missing[1])) {
            $figure.Result | Should -Be 'n/a'
            $figure.Note | Should -BeLike "*-$($missing[1])*"
        }
        else {
            foreach ($number in $figure.NcpKms, $figure.Baseline, $figure.Ratio) {
                $number | Should -BeOfType [ValueType]
                $number | Should -BeGreaterThan 0
            }
            $figure.Result | Should -BeIn 'pass', 'FAIL', 'report'
        }
    }

    It 'prints the table with every figure' {
        $Output | Should -Match 'Figure\s+NcpKms\s+Baseline\s+Ratio\s+Target\s+Result'
        foreach ($figure in $Report.Figures) { $Output | Should -Match ([regex]::Escape($figure.Figure)) }
    }
}

Describe 'bench/Baselines/RawClient.cs' {
    BeforeAll {
        if (-not ('NcpKmsBench.RawClient' -as [type])) { Add-Type -Path (Join-Path $RepoRoot 'bench/Baselines/RawClient.cs') }
    }

    It 'signs the known-answer vector <Name> of ncp-kms-api.md §3.4' -ForEach @(
        @{ Name = 'V1'; Secret = 'ncp-secret-example'; Access = 'ACCESS_KEY_ID'; Method = 'GET'; Uri = '/photos/puppy.jpg?query1=&query2'; Timestamp = '1700000000000'; Expected = 'iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE=' }
        @{ Name = 'V2'; Secret = 'SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR'; Access = 'ACCESSKEYACCESSKEYAC'; Method = 'POST'; Uri = '/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate'; Timestamp = '1733462407906'; Expected = 'zquU/Q9LBlw5lQw5l+fZq+mqcnP5i9m1cToKDSuazPs=' }
        @{ Name = 'V3'; Secret = 'SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR'; Access = 'ACCESSKEYACCESSKEYAC'; Method = 'GET'; Uri = '/kms/v1/keys?pageNo=1&pageSize=1'; Timestamp = '1733462407906'; Expected = 'Q+xmpxV7HWLF+L9sYHKm0Oj+gGIbhxYWqxzhBrG7+SI=' }
    ) {
        $secret = [System.Text.Encoding]::UTF8.GetBytes($Secret)
        [NcpKmsBench.RawClient]::Sign($secret, $Method, $Uri, $Timestamp, $Access) | Should -BeExactly $Expected
    }
}
