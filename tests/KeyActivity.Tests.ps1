BeforeAll {
    . $PSScriptRoot/Common.ps1
    $emulator = Start-TokenTestSession

    function Get-EpochMilliseconds([datetime] $Value) {
        ([DateTimeOffset] $Value.ToUniversalTime()).ToUnixTimeMilliseconds()
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Key cmdlet conventions of the activity cmdlets' {
    It '<_>: -KeyTag from the pipeline, checked before any request; never prompts' -ForEach 'Get-NcpKmsKeyActivity', 'Get-NcpKmsKeyLastUse' {
        Assert-KeyCmdletConvention -Emulator $emulator -Name $_ -Impact 'None'
    }
}

Describe 'Get-NcpKmsKeyActivity' {
    It 'writes a typed record for each call on the key, with the timestamp as a UTC DateTime' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activity'
        $null = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $activities = @(Get-NcpKmsKeyActivity -KeyTag $key.KeyTag)

        $activities.Count | Should -Be 2
        $activities[0].PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyActivity'
        $activities.Action | Should -Be @('RotateKey', 'GetAclRuleList')
        $activities.KeyTag | Should -Be @($key.KeyTag, $key.KeyTag)
        $activities.KeyName | Should -Be @('activity', 'activity')
        $activities.Result | Should -Be @('SUCCESS', 'SUCCESS')
        $activities.AuthType | Should -Be @('ACCOUNT', 'ACCOUNT')
        $activities.RequestType | Should -Be @('API', 'API')
        $activities.RequestorIp | Should -Be @('127.0.0.1', '127.0.0.1')
        $activities[0].RequestorId | Should -Be $emulator.AccessKey
        $activities[0].Message | Should -Match 'RotateKey'
        $activities[0].Timestamp | Should -BeOfType [datetime]
        $activities[0].Timestamp.Kind | Should -Be ([DateTimeKind]::Utc)
    }

    It 'reads the timestamp exactly from the ISO-8601 string of the answer' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activityiso'
        $null = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag

        $activity = Get-NcpKmsKeyActivity -KeyTag $key.KeyTag

        $raw = Invoke-RawKms -Emulator $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/activities"
        $records = ($raw.Content | ConvertFrom-Json -DateKind String).data.activityLogList
        $iso = @($records | Where-Object { $_.data.api.action -eq 'GetAclRuleList' })[0].timestamp
        $iso | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
        $activity.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture) | Should -Be $iso
    }

    It 'shows token requests with their authentication type' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activitytoken'
        $null = New-NcpKmsTokenGenerator -KeyTag $key.KeyTag
        $set = New-NcpKmsToken -KeyTag $key.KeyTag
        $null = New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $set.RefreshToken

        $activity = Get-NcpKmsKeyActivity -KeyTag $key.KeyTag -Keyword 'CreateAccessToken'

        $activity.Action | Should -Be 'CreateAccessToken'
        $activity.AuthType | Should -Be 'TOKEN'
    }

    Context 'over more than one page' {
        BeforeAll {
            $paged = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activitypages'
            # 450 calls, each a record in the key's log: three pages of 200.
            $null = @(1..450 | ForEach-Object { $paged.KeyTag }) | Get-NcpKmsKeyAcl
        }

        It 'follows every page with pageSize 200 and one fixed window, writing each record once' {
            $before = Get-RequestCount $emulator

            $activities = @(Get-NcpKmsKeyActivity -KeyTag $paged.KeyTag)

            $activities.Count | Should -Be 450
            @($activities.Action | Select-Object -Unique) | Should -Be @('GetAclRuleList')
            $requests = Get-RequestsSince $emulator $before
            $requests.Count | Should -Be 3
            $requests.Path | ForEach-Object { $_ -replace '.*[?&](pageNo=\d+).*', '$1' } | Should -Be @('pageNo=1', 'pageNo=2', 'pageNo=3')
            $requests.Path | Should -Match 'pageSize=200'
            $windows = $requests.Path | ForEach-Object { [regex]::Match($_, 'timestampFrom=\d+&timestampTo=\d+').Value }
            @($windows | Select-Object -Unique).Count | Should -Be 1
            $windows[0] | Should -Not -BeNullOrEmpty
            # Newest first, in order, with no record repeated across pages.
            $times = $activities.Timestamp
            for ($i = 1; $i -lt $times.Count; $i++) { $times[$i] | Should -BeLessOrEqual $times[$i - 1] }
        }

        It 'streams: Select-Object -First stops after the first page' {
            $before = Get-RequestCount $emulator

            $first = Get-NcpKmsKeyActivity -KeyTag $paged.KeyTag | Select-Object -First 5

            $first.Count | Should -Be 5
            Get-RequestCount $emulator | Should -Be ($before + 1)
        }
    }

    It 'sends -From and -To as epoch milliseconds, local or UTC alike, and lists only that window' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activitywin'
        $null = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag
        Start-Sleep -Milliseconds 20
        $from = [DateTime]::UtcNow
        Start-Sleep -Milliseconds 20
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag
        Start-Sleep -Milliseconds 20
        $to = [DateTime]::UtcNow
        $before = Get-RequestCount $emulator

        $utc = @(Get-NcpKmsKeyActivity -KeyTag $key.KeyTag -From $from -To $to)
        $local = @(Get-NcpKmsKeyActivity -KeyTag $key.KeyTag -From $from.ToLocalTime() -To $to.ToLocalTime())

        $utc.Action | Should -Be 'RotateKey'
        $local.Action | Should -Be 'RotateKey'
        $expected = "timestampFrom=$(Get-EpochMilliseconds $from)&timestampTo=$(Get-EpochMilliseconds $to)"
        (Get-RequestsSince $emulator $before).Path | ForEach-Object { $_ | Should -Match ([regex]::Escape($expected)) }
    }

    It 'lists the day before it started when no bound is given' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'activityday'
        $before = Get-RequestCount $emulator
        $start = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()

        $null = Get-NcpKmsKeyActivity -KeyTag $key.KeyTag

        $path = (Get-RequestsSince $emulator $before)[0].Path
        $to = [long][regex]::Match($path, 'timestampTo=(\d+)').Groups[1].Value
        $from = [long][regex]::Match($path, 'timestampFrom=(\d+)').Groups[1].Value
        $to | Should -BeGreaterOrEqual $start
        $to - $from | Should -Be 86400000
    }

    It 'filters by keyword, percent-encoded once and signed as sent' -ForEach @(
        @{ Keyword = 'GetAclRuleList succeeded'; Encoded = 'keyword=GetAclRuleList%20succeeded'; Count = 1 }
        @{ Keyword = 'rotatekey'; Encoded = 'keyword=rotatekey'; Count = 1 }
        @{ Keyword = 'a+b&c=d/é'; Encoded = 'keyword=a%2Bb%26c%3Dd%2F%C3%A9'; Count = 0 }
    ) {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name "activitykw$Count$($Encoded.Length)"
        $null = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag
        $before = Get-RequestCount $emulator

        $activities = @(Get-NcpKmsKeyActivity -KeyTag $key.KeyTag -Keyword $Keyword -ErrorVariable failures)

        $failures | Should -BeNullOrEmpty
        $activities.Count | Should -Be $Count
        $request = (Get-RequestsSince $emulator $before)[0]
        $request.StatusCode | Should -Be 200
        $request.Path | Should -Match ([regex]::Escape($Encoded) + '$')
    }

    It 'refuses -From after -To before any request, and goes on with the next key' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'actrange' -Count 2
        $before = Get-RequestCount $emulator
        $now = Get-Date

        $output = $keys.KeyTag | Get-NcpKmsKeyActivity -From $now -To $now.AddSeconds(-1) -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidDateRange,NcpKms.Commands.GetNcpKmsKeyActivity'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $keys[0].KeyTag
        $failures[0].Exception.Message | Should -Match '-From .* is after -To'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses a -From in the future without -To before any request' {
        $before = Get-RequestCount $emulator

        Get-NcpKmsKeyActivity -KeyTag ('k' * 64) -From (Get-Date).AddHours(1) -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidDateRange,*'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses an empty keyword when the parameters are bound' {
        { Get-NcpKmsKeyActivity -KeyTag ('k' * 64) -Keyword '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.GetNcpKmsKeyActivity'
    }

    It 'reads the log of every key piped in, and writes KeyNotFound for an unknown one' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'actpipe' -Count 2
        $null = $keys.KeyTag | Get-NcpKmsKeyAcl

        $activities = $keys[0].KeyTag, ('u' * 64), $keys[1].KeyTag | Get-NcpKmsKeyActivity -ErrorVariable failures -ErrorAction SilentlyContinue

        $activities.KeyTag | Should -Be $keys.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.GetNcpKmsKeyActivity'
        $failures[0].TargetObject | Should -Be ('u' * 64)
    }

}

Describe 'Get-NcpKmsKeyLastUse' {
    It 'writes the most recent use as an NcpKms.KeyActivity' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'lastuse'
        $null = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag
        $null = Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag

        $lastUse = Get-NcpKmsKeyLastUse -KeyTag $key.KeyTag

        $lastUse.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyActivity'
        $lastUse.Action | Should -Be 'RotateKey'
        $lastUse.KeyTag | Should -Be $key.KeyTag
        $lastUse.Timestamp.Kind | Should -Be ([DateTimeKind]::Utc)
        $lastUse.Timestamp | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(-1))
    }

    It 'writes nothing for a key that was never used, and says so on the Verbose stream' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'lastnone'

        $records = Get-NcpKmsKeyLastUse -KeyTag $key.KeyTag -Verbose 4>&1

        @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        "$($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'has no recorded use'
    }

    It 'gets the last use of every key piped from Get-NcpKmsKey, and goes on after an unknown key' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'lastpipe' -Count 2
        $null = $keys.KeyTag | Get-NcpKmsKeyAcl

        $lastUses = @(Get-NcpKmsKey -KeyTag $keys.KeyTag) + [pscustomobject]@{ KeyTag = 'u' * 64 } |
            Get-NcpKmsKeyLastUse -ErrorVariable failures -ErrorAction SilentlyContinue

        # Get-NcpKmsKey itself is a use: Get Key Info is the latest record.
        $lastUses.KeyTag | Should -Be $keys.KeyTag
        $lastUses.Action | Should -Be @('GetKeyInfo', 'GetKeyInfo')
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.GetNcpKmsKeyLastUse'
        $failures[0].TargetObject | Should -Be ('u' * 64)
    }

}
