# The key lifecycle cmdlets against the emulator over real HTTP: New-, Set-, Enable-, Disable-, Remove-NcpKmsKey,
# Undo-NcpKmsKeyRemoval, Set-NcpKmsKeyRotationPolicy, Enable-/Disable-NcpKmsKeyVersion and Move-NcpKmsKey.

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    Connect-TestEmulator $emulator

    # The requests the emulator logged after $Before, as 'METHOD /path' lines.
    function Get-RequestLine([int] $Before) {
        @(Get-NcpKmsEmulatorRequest -Emulator $emulator | Select-Object -Skip $Before | ForEach-Object { "$($_.Method) $($_.Path)" })
    }

    # The key exactly as the emulator serves it (raw JSON), to check what the module sent without trusting it.
    function Get-RawKey([string] $KeyTag) {
        (Invoke-RawKms -Emulator $emulator -RequestUri "/kms/v1/keys/$KeyTag").Json.data
    }

    # Runs a command in a fresh runspace with no interactive host: a confirmation prompt fails there with
    # HostFunctionNotImplemented instead of waiting for an answer.
    function Invoke-WithoutHost([string] $Command) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; $Command")
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }

    # The ShouldProcess text -WhatIf writes to the host, captured by a transcript.
    function Get-WhatIfText([scriptblock] $Script) {
        $transcript = Join-Path $env:HOME ("whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { & $Script } finally { $null = Stop-Transcript }
        Get-Content $transcript -Raw
    }

    $unknownTag = 'z' * 64
}

AfterAll {
    Complete-TestSession
}

Describe 'New-NcpKmsKey' {
    It 'creates an enabled key with BASIC protection and automatic rotation off by default' {
        $before = Get-RequestCount $emulator

        $key = New-NcpKmsKey -Name 'newdefault' -KeyType AES256

        $key.PSObject.TypeNames[0] | Should -Be 'NcpKms.Key'
        $key.KeyName | Should -Be 'newdefault'
        $key.KeyTag | Should -Match '^[a-z0-9]{64}$'
        $key.KeyType | Should -Be 'AES256'
        $key.Status | Should -Be 'ENABLE'
        $key.ProtectionType | Should -Be 'BASIC'
        $key.IsAutoRotation | Should -BeFalse
        $key.IsConvergent | Should -BeFalse
        Get-RequestLine $before | Should -Be @('POST /kms/v1/keys')
        $raw = Get-RawKey $key.KeyTag
        $raw.isAutoRotation | Should -BeFalse
        $raw.protectionType | Should -Be 'BASIC'
        $raw.nextRotationDate | Should -BeNullOrEmpty
    }

    It 'writes a key that pipes into Invoke-NcpKmsKeyRotation' {
        $rotation = New-NcpKmsKey -Name 'app1' -KeyType AES256 | Invoke-NcpKmsKeyRotation

        $rotation.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyRotation'
        $rotation.Version | Should -Be 2
        (Get-NcpKmsKey -KeyTag $rotation.KeyTag).CurrentVersion | Should -Be 2
    }

    It 'turns automatic rotation on with -AutoRotationPeriodDays and sends the options given' {
        $key = New-NcpKmsKey -Name 'newauto' -KeyType RSA2048 -ProtectionType COMMON_HSM -AutoRotationPeriodDays 30 -Memo '결제 키'

        $key.IsAutoRotation | Should -BeTrue
        $key.RotationPeriod | Should -Be 30
        $key.NextRotationDate | Should -BeGreaterThan ([DateTime]::UtcNow.AddDays(29))
        $key.NextRotationDate | Should -BeLessThan ([DateTime]::UtcNow.AddDays(31))
        $raw = Get-RawKey $key.KeyTag
        $raw.keyType | Should -Be 'RSA2048'
        $raw.protectionType | Should -Be 'COMMON_HSM'
        $raw.isAutoRotation | Should -BeTrue
        $raw.rotationPeriod | Should -Be 30
        $raw.memo | Should -Be '결제 키'
    }

    It 'creates a convergent AES256 key and sends the set spelling of a lower-case key type' {
        $key = New-NcpKmsKey -Name 'newconv' -KeyType aes256 -ProtectionType basic -Convergent

        $key.IsConvergent | Should -BeTrue
        (Get-RawKey $key.KeyTag).keyType | Should -BeExactly 'AES256'
        (Get-RawKey $key.KeyTag).protectionType | Should -BeExactly 'BASIC'
    }

    It 'refuses the key name <Name> before any request, naming -Name and the rule' -ForEach @(
        @{ Name = '' }, @{ Name = 'ab' }, @{ Name = '1abc' }, @{ Name = '-abc' }, @{ Name = ('a' * 16) },
        @{ Name = 'has space' }, @{ Name = 'dot.name' }, @{ Name = '키이름' }
    ) {
        $before = Get-RequestCount $emulator

        $key = New-NcpKmsKey -Name $Name -KeyType AES256 -ErrorVariable failures -ErrorAction SilentlyContinue

        $key | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyName,NcpKms.Commands.NewNcpKmsKey'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $Name
        $failures[0].Exception.Message | Should -Match '-Name'
        $failures[0].Exception.Message | Should -Match '3 to 15 characters'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses -Convergent with <KeyType> before any request' -ForEach @(@{ KeyType = 'RSA2048' }, @{ KeyType = 'ECDSA' }) {
        $before = Get-RequestCount $emulator

        New-NcpKmsKey -Name 'convbad' -KeyType $KeyType -Convergent -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.ConvergentRequiresAes256,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match 'AES256'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses <Case> through parameter validation before any request' -ForEach @(
        @{ Case = 'a rotation period of 0 days'; Extra = @{ AutoRotationPeriodDays = 0 }; Parameter = 'AutoRotationPeriodDays' }
        @{ Case = 'a rotation period of 731 days'; Extra = @{ AutoRotationPeriodDays = 731 }; Parameter = 'AutoRotationPeriodDays' }
        @{ Case = 'a memo of 101 characters'; Extra = @{ Memo = ('m' * 101) }; Parameter = 'Memo' }
        @{ Case = 'an unknown protection type'; Extra = @{ ProtectionType = 'HSM' }; Parameter = 'ProtectionType' }
        @{ Case = 'an unknown key type'; Extra = @{ KeyType = 'AES128' }; Parameter = 'KeyType' }
    ) {
        $before = Get-RequestCount $emulator
        $arguments = @{ Name = 'limits'; KeyType = 'AES256' }
        foreach ($name in $Extra.Keys) { $arguments[$name] = $Extra[$name] }

        $thrown = { New-NcpKmsKey @arguments } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.NewNcpKmsKey' -PassThru
        $thrown.Exception.Message | Should -Match $Parameter
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'accepts a memo of exactly 100 characters and a period of 730 days' {
        $key = New-NcpKmsKey -Name 'newlimits' -KeyType AES256 -Memo ('m' * 100) -AutoRotationPeriodDays 730

        $key.Memo.Length | Should -Be 100
        $key.RotationPeriod | Should -Be 730
    }

    It 'creates keys from piped objects by property name and goes on after a refused one' {
        $rows = @(
            [pscustomobject]@{ Name = 'csvone'; KeyType = 'AES256'; Memo = 'first' }
            [pscustomobject]@{ Name = 'csvone'; KeyType = 'AES256'; Memo = 'duplicate' }
            [pscustomobject]@{ Name = 'csvtwo'; KeyType = 'ECDSA'; ProtectionType = 'COMMON_HSM' }
        )

        $keys = $rows | New-NcpKmsKey -ErrorVariable failures -ErrorAction SilentlyContinue

        $keys.KeyName | Should -Be @('csvone', 'csvtwo')
        $keys[0].Memo | Should -Be 'first'
        $keys[1].KeyType | Should -Be 'ECDSA'
        $keys[1].ProtectionType | Should -Be 'COMMON_HSM'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures[0].TargetObject | Should -Be 'csvone' -Because 'a key that was not created has no tag; its name identifies it'
        $failures[0].Exception.StatusCode | Should -Be 400
    }

    It 'keeps BASIC as the default for piped objects without a ProtectionType after one with it' {
        $rows = @(
            [pscustomobject]@{ Name = 'pipehsm'; KeyType = 'AES256'; ProtectionType = 'COMMON_HSM' }
            [pscustomobject]@{ Name = 'pipebasic'; KeyType = 'AES256' }
        )

        ($rows | New-NcpKmsKey).ProtectionType | Should -Be @('COMMON_HSM', 'BASIC')
    }

    It 'sends nothing under -WhatIf and names the key name as the target' {
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { New-NcpKmsKey -Name 'whatifnew' -KeyType AES256 -AutoRotationPeriodDays 45 -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match ([regex]::Escape('on target "whatifnew"'))
        $text | Should -Match 'AES256 key \(BASIC protection, rotated automatically every 45 days\)'
    }
}

Describe 'Set-NcpKmsKey' {
    It 'renames a key with Update Key Name only, keeps its tag and writes nothing' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setname' -Memo 'keep me'
        $before = Get-RequestCount $emulator

        $output = Set-NcpKmsKey -KeyTag $key.KeyTag -Name 'setrenamed'

        $output | Should -BeNullOrEmpty
        Get-RequestLine $before | Should -Be @("PUT /kms/v1/keys/$($key.KeyTag)/name")
        $raw = Get-RawKey $key.KeyTag
        $raw.keyName | Should -Be 'setrenamed'
        $raw.memo | Should -Be 'keep me'
    }

    It 'changes the memo with Update Memo only' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setmemo'
        $before = Get-RequestCount $emulator

        Set-NcpKmsKey $key.KeyTag -Memo 'Owner: payments'

        Get-RequestLine $before | Should -Be @("PUT /kms/v1/keys/$($key.KeyTag)/memo")
        (Get-RawKey $key.KeyTag).memo | Should -Be 'Owner: payments'
        (Get-RawKey $key.KeyTag).keyName | Should -Be 'setmemo'
    }

    It 'changes both, name first, and writes the key read afterwards with -PassThru' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setboth'
        $before = Get-RequestCount $emulator

        $result = Set-NcpKmsKey -KeyTag $key.KeyTag -Name 'setbothnew' -Memo 'both' -PassThru

        $result.PSObject.TypeNames[0] | Should -Be 'NcpKms.Key'
        $result.KeyTag | Should -Be $key.KeyTag
        $result.KeyName | Should -Be 'setbothnew'
        $result.Memo | Should -Be 'both'
        $result.CurrentVersion | Should -Be 1 -Because '-PassThru reads the key with Get Key Info'
        Get-RequestLine $before | Should -Be @(
            "PUT /kms/v1/keys/$($key.KeyTag)/name"
            "PUT /kms/v1/keys/$($key.KeyTag)/memo"
            "GET /kms/v1/keys/$($key.KeyTag)")
    }

    It 'clears the memo with an empty string' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setclear' -Memo 'old memo'

        Set-NcpKmsKey -KeyTag $key.KeyTag -Memo ''

        (Get-RawKey $key.KeyTag).memo | Should -BeExactly ''
    }

    It 'stops with NcpKms.NothingToChange before any request when neither -Name nor -Memo is given' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setnothing'
        $before = Get-RequestCount $emulator

        $thrown = { $key | Set-NcpKmsKey -PassThru } | Should -Throw -ErrorId 'NcpKms.NothingToChange,NcpKms.Commands.SetNcpKmsKey' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.Exception.Message | Should -Match '-Name or -Memo'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses an invalid new name for each key before any request, with the key tag as target' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setbad' -Count 2
        $before = Get-RequestCount $emulator

        $keys | Set-NcpKmsKey -Name '9lives' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyName,NcpKms.Commands.SetNcpKmsKey'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures.TargetObject | Should -Be $keys.KeyTag
        $failures[0].Exception.Message | Should -Match "'9lives' given to -Name"
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses a memo of 101 characters before any request' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setlong'
        $before = Get-RequestCount $emulator

        { Set-NcpKmsKey -KeyTag $key.KeyTag -Memo ('m' * 101) } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.SetNcpKmsKey'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'leaves the memo alone when the rename is refused, and goes on with the next key' {
        $taken = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'settaken'
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setdup' -Memo 'unchanged'
        $before = Get-RequestCount $emulator

        $unknownTag, $key.KeyTag | Set-NcpKmsKey -Name $taken.KeyName -Memo 'new' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].TargetObject | Should -Be $unknownTag
        $failures[1].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidRequest,*'
        $failures[1].TargetObject | Should -Be $key.KeyTag
        $failures[1].Exception.Message | Should -Match 'Update Key Name'
        Get-RequestLine $before | Should -Not -Contain "PUT /kms/v1/keys/$($key.KeyTag)/memo"
        (Get-RawKey $key.KeyTag).memo | Should -Be 'unchanged'
    }

    It 'sends nothing under -WhatIf, not even the -PassThru read' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'setwhatif'
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { Set-NcpKmsKey -KeyTag $key.KeyTag -Name 'setwhatif2' -Memo 'x' -PassThru -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match ([regex]::Escape("Rename the key to 'setwhatif2' and set its memo to 'x'"))
        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
    }
}

Describe 'Enable-NcpKmsKey and Disable-NcpKmsKey' {
    It 'disables a key and writes its new status' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'disone'
        $before = Get-RequestCount $emulator
        $started = [DateTime]::UtcNow.AddSeconds(-1)

        $status = Disable-NcpKmsKey -KeyTag $key.KeyTag

        $status.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyStatus'
        $status.KeyTag | Should -Be $key.KeyTag
        $status.Status | Should -Be 'DISABLE'
        $status.StatusDate | Should -BeOfType [datetime]
        $status.StatusDate.Kind | Should -Be ([DateTimeKind]::Utc)
        $status.StatusDate | Should -BeGreaterOrEqual $started
        $status.StatusDate | Should -BeLessOrEqual ([DateTime]::UtcNow.AddSeconds(1))
        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/disable")
        (Get-NcpKmsKey -KeyTag $key.KeyTag).Status | Should -Be 'DISABLE'
    }

    It 'enables a disabled key' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'enaone' -Status DISABLE

        $status = Enable-NcpKmsKey $key.KeyTag

        $status.Status | Should -Be 'ENABLE'
        (Get-NcpKmsKey -KeyTag $key.KeyTag).Status | Should -Be 'ENABLE'
    }

    It 'takes keys from Get-NcpKmsKey and key tags as strings from the pipeline' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'pipedis' -Count 3

        $disabled = Get-NcpKmsKey -Name 'pipedis*' | Disable-NcpKmsKey
        $enabled = $keys.KeyTag | Enable-NcpKmsKey

        $disabled.Status | Should -Be @('DISABLE', 'DISABLE', 'DISABLE')
        $enabled.KeyTag | Should -Be $keys.KeyTag
        $enabled.Status | Should -Be @('ENABLE', 'ENABLE', 'ENABLE')
    }

    It 'writes NcpKms.InvalidKeyState for a key pending deletion and goes on with the next key' {
        $revoked = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'enarevoke' -Status REVOKE
        $disabled = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'enanext' -Status DISABLE

        $result = $revoked.KeyTag, $disabled.KeyTag | Enable-NcpKmsKey -ErrorVariable failures -ErrorAction SilentlyContinue

        $result.KeyTag | Should -Be $disabled.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyState,NcpKms.Commands.EnableNcpKmsKey'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Be $revoked.KeyTag
        $failures[0].Exception.StatusCode | Should -Be 422
        (Get-RawKey $revoked.KeyTag).status | Should -Be 'REVOKE'
    }

    It 'writes NcpKms.KeyNotFound for an unknown key' {
        Disable-NcpKmsKey -KeyTag $unknownTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $unknownTag
    }

    It 'converts a status to JSON with exactly KeyTag, Status and StatusDate' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'disjson'

        $json = Disable-NcpKmsKey $key.KeyTag | ConvertTo-Json | ConvertFrom-Json

        $json.PSObject.Properties.Name | Should -Be @('KeyTag', 'Status', 'StatusDate')
    }
}

Describe 'Remove-NcpKmsKey' {
    It 'schedules the deletion: status REVOKE, destroyed 72 hours after the request' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'remone'
        $before = Get-RequestCount $emulator

        $status = Remove-NcpKmsKey -KeyTag $key.KeyTag -Force

        $status.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyStatus'
        $status.Status | Should -Be 'REVOKE'
        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/request-deletion")
        $info = Get-NcpKmsKey -KeyTag $key.KeyTag
        $info.Status | Should -Be 'REVOKE'
        ($info.DestroyDate - $status.StatusDate) | Should -Be ([TimeSpan]::FromHours(72))
    }

    It 'deletes a key pending deletion with -Purge, writing nothing' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rempurge' -Status REVOKE
        $before = Get-RequestCount $emulator

        $output = Remove-NcpKmsKey -KeyTag $key.KeyTag -Purge -Force

        $output | Should -BeNullOrEmpty
        Get-RequestLine $before | Should -Be @("DELETE /kms/v1/keys/$($key.KeyTag)")
        Get-NcpKmsKey -KeyTag $key.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
    }

    It 'refuses -Purge for a key that is not pending deletion (NcpKms.InvalidKeyState) and keeps the key' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rempurgeon'

        Remove-NcpKmsKey -KeyTag $key.KeyTag -Purge -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyState,NcpKms.Commands.RemoveNcpKmsKey'
        $failures[0].TargetObject | Should -Be $key.KeyTag
        (Get-RawKey $key.KeyTag).status | Should -Be 'ENABLE'
    }

    It 'schedules every piped key with -Force' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'rempipe' -Count 3 -Status DISABLE

        $statuses = Get-NcpKmsKey -Name 'rempipe*' | Remove-NcpKmsKey -Force

        $statuses.KeyTag | Should -Be $keys.KeyTag
        $statuses.Status | Should -Be @('REVOKE', 'REVOKE', 'REVOKE')
    }

    It 'sends nothing under -WhatIf even with -Force, when <Mode>' -ForEach @(
        @{ Mode = 'scheduling'; Purge = $false; Key = 'remwhatif' }, @{ Mode = 'purging'; Purge = $true; Key = 'rempurgewhatif' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name $Key -Status REVOKE
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { Remove-NcpKmsKey -KeyTag $key.KeyTag -Purge:$Purge -Force -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
        $null = Remove-NcpKmsKey -KeyTag $key.KeyTag -Purge -Force
    }
}

Describe 'Undo-NcpKmsKeyRemoval' {
    It 'cancels the deletion, leaving the key DISABLE' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'undoone' -Status REVOKE
        $before = Get-RequestCount $emulator

        $status = Undo-NcpKmsKeyRemoval -KeyTag $key.KeyTag

        $status.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyStatus'
        $status.Status | Should -Be 'DISABLE'
        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/cancel-deletion")
        (Get-NcpKmsKey -KeyTag $key.KeyTag).DestroyDate | Should -BeNullOrEmpty
    }

    It 'pipes restored keys into Enable-NcpKmsKey' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'undopipe' -Count 2 -Status REVOKE

        $enabled = $keys.KeyTag | Undo-NcpKmsKeyRemoval | Enable-NcpKmsKey

        $enabled.Status | Should -Be @('ENABLE', 'ENABLE')
    }

    It 'writes NcpKms.InvalidKeyState for a key that is not pending deletion' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'undoenabled'

        Undo-NcpKmsKeyRemoval $key.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyState,NcpKms.Commands.UndoNcpKmsKeyRemoval'
        $failures[0].TargetObject | Should -Be $key.KeyTag
    }

    It 'sends nothing under -WhatIf' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'undowhatif' -Status REVOKE
        $before = Get-RequestCount $emulator

        Undo-NcpKmsKeyRemoval $key.KeyTag -WhatIf

        Get-RequestCount $emulator | Should -Be $before
        (Get-RawKey $key.KeyTag).status | Should -Be 'REVOKE'
    }
}

Describe 'Set-NcpKmsKeyRotationPolicy' {
    It 'turns automatic rotation on first, then sets the period, and writes the merged policy' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'polon'
        $before = Get-RequestCount $emulator

        $policy = Set-NcpKmsKeyRotationPolicy -KeyTag $key.KeyTag -AutoRotation $true -PeriodDays 30

        Get-RequestLine $before | Should -Be @(
            "POST /kms/v1/keys/$($key.KeyTag)/enable-auto-rotation"
            "PUT /kms/v1/keys/$($key.KeyTag)/rotation-period")
        $policy.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyRotationPolicy'
        $policy.KeyTag | Should -Be $key.KeyTag
        $policy.IsAutoRotation | Should -BeTrue
        $policy.RotationPeriod | Should -Be 30
        $raw = Get-RawKey $key.KeyTag
        $raw.isAutoRotation | Should -BeTrue
        $raw.rotationPeriod | Should -Be 30
        ([DateTimeOffset]$policy.NextRotationDate).ToUnixTimeMilliseconds() | Should -Be $raw.nextRotationDate
    }

    It 'turns automatic rotation off with Disable Auto Rotation only' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'poloff' -AutoRotationPeriodDays 90
        $before = Get-RequestCount $emulator

        $policy = Set-NcpKmsKeyRotationPolicy $key.KeyTag -AutoRotation $false

        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/disable-auto-rotation")
        $policy.IsAutoRotation | Should -BeFalse
        $policy.NextRotationDate | Should -BeNullOrEmpty
        (Get-RawKey $key.KeyTag).isAutoRotation | Should -BeFalse
    }

    It 'changes only the period of a key that rotates automatically' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'polperiod' -AutoRotationPeriodDays 90
        $before = Get-RequestCount $emulator

        $policy = Set-NcpKmsKeyRotationPolicy $key.KeyTag -PeriodDays 730

        Get-RequestLine $before | Should -Be @("PUT /kms/v1/keys/$($key.KeyTag)/rotation-period")
        $policy.RotationPeriod | Should -Be 730
        $policy.IsAutoRotation | Should -BeNullOrEmpty -Because 'the Update Rotation Period answer does not report it'
        (Get-RawKey $key.KeyTag).rotationPeriod | Should -Be 730
    }

    It 'writes NcpKms.InvalidKeyState for a period without automatic rotation, and goes on with the next key' {
        $off = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'polrefused'
        $on = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'polgoeson' -AutoRotationPeriodDays 90

        $policies = $off, $on | Set-NcpKmsKeyRotationPolicy -PeriodDays 60 -ErrorVariable failures -ErrorAction SilentlyContinue

        $policies.KeyTag | Should -Be $on.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyState,NcpKms.Commands.SetNcpKmsKeyRotationPolicy'
        $failures[0].TargetObject | Should -Be $off.KeyTag
        $failures[0].Exception.Message | Should -Match 'Update Rotation Period'
    }

    It 'stops with <Id> before any request for <Case>' -ForEach @(
        @{ Case = 'no change'; Arguments = @{}; Id = 'NcpKms.NothingToChange' }
        @{ Case = '-AutoRotation $false with -PeriodDays'; Arguments = @{ AutoRotation = $false; PeriodDays = 30 }; Id = 'NcpKms.ConflictingParameters' }
    ) {
        $before = Get-RequestCount $emulator

        $thrown = { ('a' * 64), ('b' * 64) | Set-NcpKmsKeyRotationPolicy @Arguments } |
            Should -Throw -ErrorId "$Id,NcpKms.Commands.SetNcpKmsKeyRotationPolicy" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses a period of <Days> days before any request' -ForEach @(@{ Days = 0 }, @{ Days = 731 }) {
        $before = Get-RequestCount $emulator

        { Set-NcpKmsKeyRotationPolicy -KeyTag ('a' * 64) -AutoRotation $true -PeriodDays $Days } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.SetNcpKmsKeyRotationPolicy'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'sends nothing under -WhatIf and describes both changes' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'polwhatif'
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { Set-NcpKmsKeyRotationPolicy $key.KeyTag -AutoRotation $true -PeriodDays 30 -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match 'Turn automatic rotation on and set the rotation period to 30 days'
        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
    }
}

Describe 'Enable-NcpKmsKeyVersion and Disable-NcpKmsKeyVersion' {
    It 'disables a version and writes it, with IsCurrent unknown' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verdis' -VersionCount 2
        $before = Get-RequestCount $emulator

        $version = Disable-NcpKmsKeyVersion -KeyTag $key.KeyTag -Version 1

        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/versions/1/disable")
        $version.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyVersion'
        $version.KeyTag | Should -Be $key.KeyTag
        $version.Version | Should -Be 1
        $version.Status | Should -Be 'DISABLE'
        $version.StatusDate | Should -BeOfType [datetime]
        $version.IsCurrent | Should -BeNullOrEmpty
        (Get-NcpKmsKeyVersion $key.KeyTag).Status | Should -Be @('DISABLE', 'ENABLE')
    }

    It 'enables a disabled version again' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verena' -VersionCount 2
        $null = Disable-NcpKmsKeyVersion $key.KeyTag 1

        $version = Enable-NcpKmsKeyVersion $key.KeyTag 1

        $version.Status | Should -Be 'ENABLE'
        (Get-NcpKmsKeyVersion $key.KeyTag).Status | Should -Be @('ENABLE', 'ENABLE')
    }

    It 'disables the versions piped from Get-NcpKmsKeyVersion by KeyTag and Version' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verpipe' -VersionCount 4

        $disabled = Get-NcpKmsKeyVersion $key.KeyTag | Where-Object Version -lt 3 | Disable-NcpKmsKeyVersion

        $disabled.Version | Should -Be @(1, 2)
        (Get-NcpKmsKeyVersion $key.KeyTag).Status | Should -Be @('DISABLE', 'DISABLE', 'ENABLE', 'ENABLE')
        $enabled = Get-NcpKmsKeyVersion $key.KeyTag | Where-Object Status -EQ 'DISABLE' | Enable-NcpKmsKeyVersion
        $enabled.Version | Should -Be @(1, 2)
    }

    It 'writes NcpKms.InvalidKeyState for the current version and goes on with the next' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'vercurrent' -VersionCount 3

        $result = Get-NcpKmsKeyVersion $key.KeyTag | Sort-Object Version -Descending |
            Disable-NcpKmsKeyVersion -ErrorVariable failures -ErrorAction SilentlyContinue

        $result.Version | Should -Be @(2, 1)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidKeyState,NcpKms.Commands.DisableNcpKmsKeyVersion'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Be $key.KeyTag
    }

    It 'writes NcpKms.InvalidKeyState while the key is disabled' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verkeyoff' -VersionCount 2 -Status DISABLE

        Disable-NcpKmsKeyVersion $key.KeyTag 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
    }

    It 'refuses version <Version> before any request' -ForEach @(@{ Version = 0 }, @{ Version = 101 }) {
        $before = Get-RequestCount $emulator

        $thrown = { Enable-NcpKmsKeyVersion -KeyTag ('a' * 64) -Version $Version } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.EnableNcpKmsKeyVersion' -PassThru
        $thrown.Exception.Message | Should -Match 'Version'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'skips a piped version out of range with an error and goes on with the next' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verskip' -VersionCount 2

        $result = [pscustomobject]@{ KeyTag = $key.KeyTag; Version = 0 }, [pscustomobject]@{ KeyTag = $key.KeyTag; Version = 1 } |
            Disable-NcpKmsKeyVersion -ErrorVariable failures -ErrorAction SilentlyContinue

        $result.Version | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
    }

    It 'sends nothing under -WhatIf and names the version in the action' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'verwhatif' -VersionCount 2
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { Disable-NcpKmsKeyVersion $key.KeyTag 1 -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match ([regex]::Escape("Disable version 1 of the key"))
        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
    }
}

Describe 'Move-NcpKmsKey' {
    It 'migrates a key to <Region> and writes the migration' -ForEach @(
        @{ Region = 'KR'; Given = 'KR' }, @{ Region = 'JP'; Given = 'JP' }, @{ Region = 'JP'; Given = 'jp' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'move'
        $before = Get-RequestCount $emulator

        $migration = Move-NcpKmsKey -KeyTag $key.KeyTag -TargetRegion $Given -Force

        Get-RequestLine $before | Should -Be @("POST /kms/v1/keys/$($key.KeyTag)/migrate")
        $migration.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyMigration'
        $migration.TargetRegion | Should -BeExactly $Region
        $migration.SourceKeyTag | Should -Be $key.KeyTag
        $migration.KeyTag | Should -Not -BeNullOrEmpty
    }

    It 'refuses a region other than KR and JP before any request' {
        $before = Get-RequestCount $emulator

        { Move-NcpKmsKey -KeyTag ('a' * 64) -TargetRegion US -Force } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.MoveNcpKmsKey'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'writes NcpKms.KeyNotFound for an unknown key and goes on with the next' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'movenext'

        $result = $unknownTag, $key.KeyTag | Move-NcpKmsKey -TargetRegion KR -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $result.SourceKeyTag | Should -Be $key.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.MoveNcpKmsKey'
        $failures[0].TargetObject | Should -Be $unknownTag
    }

    It 'sends nothing under -WhatIf even with -Force' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'movewhatif'
        $before = Get-RequestCount $emulator

        $text = Get-WhatIfText { Move-NcpKmsKey $key.KeyTag KR -Force -WhatIf }

        Get-RequestCount $emulator | Should -Be $before
        $text | Should -Match 'isolated in region KR'
    }
}

Describe 'Confirmation of the destructive cmdlets' {
    It '<Name> is ConfirmImpact High with -Force' -ForEach @(@{ Name = 'Remove-NcpKmsKey' }, @{ Name = 'Move-NcpKmsKey' }) {
        $command = Get-Command $Name
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'High'
        $command.Parameters['Force'].SwitchParameter | Should -BeTrue
    }

    It '<Name> prompts by default, sending nothing when nobody can answer, and -Force skips the prompt' -ForEach @(
        @{ Name = 'Remove-NcpKmsKey'; Arguments = ''; Key = 'promptremove' }
        @{ Name = 'Move-NcpKmsKey'; Arguments = '-TargetRegion KR'; Key = 'promptmove' }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name $Key
        $before = Get-RequestCount $emulator

        $prompted = Invoke-WithoutHost "$Name -KeyTag '$($key.KeyTag)' $Arguments"

        $prompted.Output | Should -BeNullOrEmpty
        $prompted.Errors[0].FullyQualifiedErrorId | Should -BeLike 'HostFunctionNotImplemented,*'
        $prompted.Errors[0].Exception.Message | Should -Match 'confirmation'
        Get-RequestCount $emulator | Should -Be $before

        $forced = Invoke-WithoutHost "$Name -KeyTag '$($key.KeyTag)' $Arguments -Force"

        $forced.Errors | Should -BeNullOrEmpty
        $forced.Output.Count | Should -Be 1
        $raw = Invoke-RawKms -Emulator $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)"
        if ($Name -eq 'Remove-NcpKmsKey') { $raw.Json.data.status | Should -Be 'REVOKE' }
        else { $raw.StatusCode | Should -Be 404 -Because 'the emulator drops a migrated key from its global keystore' }
    }

    It '<Name> does not prompt by default (ConfirmImpact Medium)' -ForEach @(
        'New-NcpKmsKey', 'Set-NcpKmsKey', 'Enable-NcpKmsKey', 'Disable-NcpKmsKey', 'Undo-NcpKmsKeyRemoval',
        'Set-NcpKmsKeyRotationPolicy', 'Enable-NcpKmsKeyVersion', 'Disable-NcpKmsKeyVersion' | ForEach-Object { @{ Name = $_ } }
    ) {
        $attribute = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
    }

    It 'Disable-NcpKmsKey runs in a host that cannot prompt' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'noprompt'

        $result = Invoke-WithoutHost "Disable-NcpKmsKey -KeyTag '$($key.KeyTag)'"

        $result.Errors | Should -BeNullOrEmpty
        (Get-RawKey $key.KeyTag).status | Should -Be 'DISABLE'
    }
}

Describe 'Key tag input of the lifecycle cmdlets' {
    It '<Name> takes -KeyTag at position 0 from the pipeline by value and by property name, and -Context' -ForEach @(
        'Set-NcpKmsKey', 'Enable-NcpKmsKey', 'Disable-NcpKmsKey', 'Remove-NcpKmsKey', 'Undo-NcpKmsKeyRemoval',
        'Set-NcpKmsKeyRotationPolicy', 'Enable-NcpKmsKeyVersion', 'Disable-NcpKmsKeyVersion', 'Move-NcpKmsKey' | ForEach-Object { @{ Name = $_ } }
    ) {
        Assert-KeyTagBinding $Name
    }

    It '<Name> refuses a malformed key tag before any request and goes on with the next' -ForEach @(
        @{ Name = 'Enable-NcpKmsKey'; Extra = @{} }
        @{ Name = 'Disable-NcpKmsKey'; Extra = @{} }
        @{ Name = 'Remove-NcpKmsKey'; Extra = @{ Force = $true } }
        @{ Name = 'Undo-NcpKmsKeyRemoval'; Extra = @{} }
        @{ Name = 'Set-NcpKmsKey'; Extra = @{ Memo = 'x' } }
        @{ Name = 'Set-NcpKmsKeyRotationPolicy'; Extra = @{ AutoRotation = $false } }
        @{ Name = 'Disable-NcpKmsKeyVersion'; Extra = @{ Version = 1 } }
        @{ Name = 'Move-NcpKmsKey'; Extra = @{ TargetRegion = 'KR'; Force = $true } }
    ) {
        $before = Get-RequestCount $emulator

        $result = '', 'not/valid', '../keys' | & $Name @Extra -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 3
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*' }
        $failures[1].TargetObject | Should -Be 'not/valid'
        Get-RequestCount $emulator | Should -Be $before
    }
}

Describe 'Key lifecycle across cmdlets' {
    It 'creates, disables, enables, schedules, restores and purges a key' {
        $key = New-NcpKmsKey -Name 'lifecycle' -KeyType AES256

        ($key | Disable-NcpKmsKey).Status | Should -Be 'DISABLE'
        $key | Invoke-NcpKmsKeyRotation -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyState,*'
        $failures[0].TargetObject | Should -Be $key.KeyTag

        ($key | Enable-NcpKmsKey).Status | Should -Be 'ENABLE'
        ($key | Invoke-NcpKmsKeyRotation).Version | Should -Be 2

        ($key | Remove-NcpKmsKey -Force).Status | Should -Be 'REVOKE'
        ($key | Undo-NcpKmsKeyRemoval).Status | Should -Be 'DISABLE'
        ($key | Remove-NcpKmsKey -Force).Status | Should -Be 'REVOKE'
        $key | Remove-NcpKmsKey -Purge -Force | Should -BeNullOrEmpty

        Get-NcpKmsKey -KeyTag $key.KeyTag -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $gone[0].TargetObject | Should -Be $key.KeyTag
    }

    It 'keeps the secret key out of every stream under -Verbose -Debug' {
        $text = Get-AllStreamText {
            $key = New-NcpKmsKey -Name 'streams' -KeyType AES256 -Verbose -Debug
            $key | Set-NcpKmsKey -Memo 'streams' -PassThru -Verbose -Debug
            $key | Set-NcpKmsKeyRotationPolicy -AutoRotation $true -PeriodDays 10 -Verbose -Debug
            $key | Disable-NcpKmsKey -Verbose -Debug
            $key | Invoke-NcpKmsKeyRotation -Verbose -Debug -ErrorAction Continue
            $key | Remove-NcpKmsKey -Force -Verbose -Debug
            $key | Remove-NcpKmsKey -Purge -Force -Verbose -Debug
        }

        $text | Should -Match 'PUT /kms/v1/keys/\w+/memo: HTTP 200' -Because 'Verbose names each request'
        $text | Should -Match 'Rotate Key for key .+ failed: NCP answered HTTP 422' -Because 'the rotation of the disabled key fails'
        $text | Should -Not -Match ([regex]::Escape($emulator.SecretKey))
    }
}
