BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator -KeyCount 205
    Connect-TestEmulator $emulator
}

AfterAll {
    Complete-TestSession
}

Describe 'Get-NcpKmsKey' {
    It 'lists every key across pages, each once' {
        $keys = Get-NcpKmsKey

        $keys.Count | Should -BeGreaterOrEqual 205
        @($keys.KeyTag | Select-Object -Unique).Count | Should -Be $keys.Count
        $keys[0].PSObject.TypeNames[0] | Should -Be 'NcpKms.Key'
    }

    It 'fills the list fields with typed values and UTC dates' {
        $key = Get-NcpKmsKey | Select-Object -First 1

        $key.KeyTag | Should -Not -BeNullOrEmpty
        $key.KeyName | Should -Not -BeNullOrEmpty
        $key.KeyType | Should -Be 'AES256'
        $key.Status | Should -Be 'ENABLE'
        $key.IsConvergent | Should -BeOfType [bool]
        $key.RegisterDate | Should -BeOfType [datetime]
        $key.RegisterDate.Kind | Should -Be ([DateTimeKind]::Utc)
    }

    It 'stops listing when the pipeline needs no more keys' {
        $before = Get-RequestCount $emulator

        $first = Get-NcpKmsKey | Select-Object -First 3

        $first.Count | Should -Be 3
        Get-RequestCount $emulator | Should -Be ($before + 1)
    }

    It 'filters by key name with wildcards, case-insensitively' {
        $null = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'filterA'
        $null = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'filterB'

        (Get-NcpKmsKey -Name 'FILTER*').KeyName | Sort-Object | Should -Be @('filterA', 'filterB')
        (Get-NcpKmsKey -Name 'filterB').KeyName | Should -Be 'filterB'
    }

    It 'reports a literal name that matches no key as NcpKms.KeyNotFound' {
        $keys = Get-NcpKmsKey -Name 'nosuchkey' -ErrorVariable failures -ErrorAction SilentlyContinue

        $keys | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nosuchkey'
    }

    It 'returns nothing and no error for a wildcard that matches no key' {
        $keys = Get-NcpKmsKey -Name 'nosuch*' -ErrorVariable failures

        $keys | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
    }

    It 'returns the full key info for each key tag, by parameter and from the pipeline' {
        $seeded = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'info' -Count 2 -VersionCount 4

        $byParameter = Get-NcpKmsKey -KeyTag $seeded.KeyTag
        $byPipeline = $seeded.KeyTag | Get-NcpKmsKey
        $byProperty = $seeded | Get-NcpKmsKey

        foreach ($keys in $byParameter, $byPipeline, $byProperty) {
            $keys.KeyTag | Should -Be $seeded.KeyTag
            $keys.CurrentVersion | Should -Be @(4, 4)
        }
        $byParameter[0].Nrn | Should -Not -BeNullOrEmpty
        $byParameter[0].IsAutoRotation | Should -BeOfType [bool]
    }

    It 'writes NcpKms.KeyNotFound for an unknown key tag and goes on with the next' {
        $seeded = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'afterunknown'

        $keys = Get-NcpKmsKey -KeyTag 'unknownkeytag', $seeded.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $keys.KeyTag | Should -Be $seeded.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].TargetObject | Should -Be 'unknownkeytag'
    }
}

Describe 'Get-NcpKmsKeyVersion' {
    It 'lists every version with status, dates and the current one marked' {
        $seeded = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'versions' -VersionCount 3

        $versions = Get-NcpKmsKeyVersion $seeded.KeyTag

        $versions[0].PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyVersion'
        $versions.Version | Should -Be @(1, 2, 3)
        $versions.Status | Should -Be @('ENABLE', 'ENABLE', 'ENABLE')
        ($versions | Where-Object IsCurrent).Version | Should -Be 3
        $versions.KeyTag | Sort-Object -Unique | Should -Be $seeded.KeyTag
        $versions[0].RotatedDate.Kind | Should -Be ([DateTimeKind]::Utc)
        $versions[0].StatusDate | Should -BeOfType [datetime]
    }

    It 'takes keys from Get-NcpKmsKey by property name' {
        $seeded = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verpipe' -VersionCount 2

        $versions = Get-NcpKmsKey -KeyTag $seeded.KeyTag | Get-NcpKmsKeyVersion

        $versions.Version | Should -Be @(1, 2)
    }

    It 'rejects a malformed key tag before any request' {
        $before = Get-RequestCount $emulator

        Get-NcpKmsKeyVersion 'bad tag' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*'
        Get-RequestCount $emulator | Should -Be $before
    }
}
