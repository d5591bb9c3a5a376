# Tests the logic of Rotate-AppKeys.ps1 with Pester mocks of the NcpKms cmdlets: no server, no HTTP.
BeforeAll {
    Import-Module NcpKms
    $runbook = Join-Path $PSScriptRoot 'Rotate-AppKeys.ps1'

    # A key as Get-NcpKmsKey lists it: an NcpKms.Key, with the properties the key list fills.
    function New-TestKey([string] $Name, [string] $Status = 'ENABLE') {
        [pscustomobject]@{
            PSTypeName     = 'NcpKms.Key'
            KeyTag         = "tag-$Name"
            KeyName        = $Name
            KeyType        = 'AES256'
            Status         = $Status
            ProtectionType = 'BASIC'
            IsConvergent   = $false
            RegisterDate   = [datetime]::UtcNow
            DestroyDate    = $null
            KeyId          = 1001
        }
    }
}

Describe 'Rotate-AppKeys.ps1 with mocked cmdlets' {
    BeforeEach {
        Mock Get-NcpKmsKey { New-TestKey 'app-web'; New-TestKey 'app-api'; New-TestKey 'app-old' -Status DISABLE }
        # An NcpKms.KeyRotation, as Invoke-NcpKmsKeyRotation writes it.
        Mock Invoke-NcpKmsKeyRotation {
            [pscustomobject]@{ PSTypeName = 'NcpKms.KeyRotation'; KeyTag = $KeyTag; Version = 7; RotatedDate = [datetime]::UtcNow }
        }
    }

    It 'lists the keys by the name pattern and rotates only the enabled ones' {
        $result = & $runbook -NamePattern 'app-*'

        Should -Invoke Get-NcpKmsKey -Times 1 -Exactly -ParameterFilter { $Name -eq 'app-*' }
        Should -Invoke Invoke-NcpKmsKeyRotation -Times 2 -Exactly
        Should -Invoke Invoke-NcpKmsKeyRotation -Times 0 -Exactly -ParameterFilter { $KeyTag -eq 'tag-app-old' }
        $result.KeyName | Should -Be 'app-web', 'app-api'
        $result.Version | Should -Be 7, 7
    }

    It 'stops at the first failed rotation' {
        # The cmdlet reports a failed key as a non-terminating error; the runbook must turn it into a stop.
        Mock Invoke-NcpKmsKeyRotation {
            Write-Error -Message 'NCP answered HTTP 429, code 410: Throttle Limited' -ErrorId 'NcpKms.Throttled' -Category LimitsExceeded -TargetObject $KeyTag
        }

        { & $runbook } | Should -Throw -ErrorId 'NcpKms.Throttled*'

        Should -Invoke Invoke-NcpKmsKeyRotation -Times 1 -Exactly
    }
}
