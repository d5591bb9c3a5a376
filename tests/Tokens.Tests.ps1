BeforeAll {
    . $PSScriptRoot/Common.ps1
    $emulator = Start-TokenTestSession
}

AfterAll {
    Complete-TestSession
}

Describe 'Key cmdlet conventions of the token cmdlets' {
    It '<Name>: -KeyTag from the pipeline, checked before any request; ConfirmImpact <Impact>' -ForEach @(
        @{ Name = 'New-NcpKmsTokenGenerator'; Impact = 'Medium'; Arguments = @{} }
        @{ Name = 'Get-NcpKmsTokenGenerator'; Impact = 'None'; Arguments = @{} }
        @{ Name = 'Reset-NcpKmsTokenGenerator'; Impact = 'High'; Arguments = @{} }
        @{ Name = 'Remove-NcpKmsTokenGenerator'; Impact = 'High'; Arguments = @{} }
        @{ Name = 'New-NcpKmsToken'; Impact = 'Medium'; Arguments = @{} }
        @{ Name = 'Update-NcpKmsToken'; Impact = 'Medium'; Arguments = @{ Token = (ConvertTo-SecureString 'x' -AsPlainText -Force) } }
        @{ Name = 'New-NcpKmsAccessToken'; Impact = 'Medium'; Arguments = @{ Token = (ConvertTo-SecureString 'x' -AsPlainText -Force) } }
    ) {
        Assert-KeyCmdletConvention -Emulator $emulator -Name $Name -Impact $Impact -Arguments $Arguments
    }

    It '<_> takes the refresh token as a SecureString -Token' -ForEach 'Update-NcpKmsToken', 'New-NcpKmsAccessToken' {
        (Get-Command $_).Parameters['Token'].ParameterType | Should -Be ([securestring])
    }
}

Describe 'New-NcpKmsTokenGenerator' {
    It 'creates the generator, then reads it back and writes it' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'gennew'
        $before = Get-RequestCount $emulator

        $generator = New-NcpKmsTokenGenerator -KeyTag $key.KeyTag

        $generator.PSObject.TypeNames[0] | Should -Be 'NcpKms.TokenGenerator'
        $generator.KeyTag | Should -Be $key.KeyTag
        $generator.Status | Should -Be 'ACTIVE'
        $generator.TokenGeneratorId | Should -Not -BeNullOrEmpty
        $generator.IssuedTokenCount | Should -Be 0
        $generator.EnabledDate.Kind | Should -Be ([DateTimeKind]::Utc)
        $generator.DisabledDate | Should -BeNullOrEmpty
        $requests = Get-RequestsSince $emulator $before
        $requests.Method | Should -Be @('POST', 'GET')
        $requests.Path | Should -Be @("/kms/v1/keys/$($key.KeyTag)/token-generator", "/kms/v1/keys/$($key.KeyTag)/token-generator")
    }

    It 'refuses a second active generator and goes on with the next key' {
        $first = New-KeyWithGenerator $emulator 'gentwice'
        $second = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'genafter'

        $generators = $first.KeyTag, $second.KeyTag | New-NcpKmsTokenGenerator -ErrorVariable failures -ErrorAction SilentlyContinue

        $generators.KeyTag | Should -Be $second.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidRequest,NcpKms.Commands.NewNcpKmsTokenGenerator'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $first.KeyTag
    }

    It 'creates a generator for every key piped from Get-NcpKmsKey' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'genpipe' -Count 2

        $generators = Get-NcpKmsKey -KeyTag $keys.KeyTag | New-NcpKmsTokenGenerator

        $generators.KeyTag | Should -Be $keys.KeyTag
        $generators.Status | Should -Be @('ACTIVE', 'ACTIVE')
    }

    It 'writes NcpKms.KeyNotFound, target the key tag, for an unknown key' {
        $tag = 'k' * 64

        New-NcpKmsTokenGenerator -KeyTag $tag -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $tag
    }

    It 'sends no request under -WhatIf, not even the read' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'genwhatif'
        $before = Get-RequestCount $emulator

        $output = New-NcpKmsTokenGenerator -KeyTag $key.KeyTag -WhatIf

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
    }

}

Describe 'Get-NcpKmsTokenGenerator' {
    It 'counts the tokens the generator issued' {
        $key = New-KeyWithGenerator $emulator 'getcount'
        $set = New-NcpKmsToken -KeyTag $key.KeyTag
        $null = New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $set.RefreshToken

        $generator = Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag

        $generator.IssuedTokenCount | Should -Be 3
        $generator.Status | Should -Be 'ACTIVE'
    }

    It 'writes KeyNotFound naming a missing generator for a key that never had one, and goes on' {
        $without = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'getnone'
        $with = New-KeyWithGenerator $emulator 'getsome'

        $generators = $without.KeyTag, $with.KeyTag | Get-NcpKmsTokenGenerator -ErrorVariable failures -ErrorAction SilentlyContinue

        $generators.KeyTag | Should -Be $with.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.GetNcpKmsTokenGenerator'
        $failures[0].TargetObject | Should -Be $without.KeyTag
        $failures[0].Exception.StatusCode | Should -Be 404
        $failures[0].Exception.Message | Should -Match 'no active token generator'
    }

    It 'shows a deleted generator as INACTIVE with its DisabledDate' {
        $key = New-KeyWithGenerator $emulator 'getdeleted'
        Remove-NcpKmsTokenGenerator -KeyTag $key.KeyTag -Force

        $generator = Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag

        $generator.Status | Should -Be 'INACTIVE'
        $generator.DisabledDate | Should -BeOfType [datetime]
        $generator.DisabledDate.Kind | Should -Be ([DateTimeKind]::Utc)
    }

}

Describe 'Reset-NcpKmsTokenGenerator' {
    It 'prompts by default, warning that every token stops working, so with no one to answer it sends nothing' {
        $key = New-KeyWithGenerator $emulator 'resetprompt'

        $prompt = Assert-PromptsAndSendsNothing $emulator "Reset-NcpKmsTokenGenerator -KeyTag '$($key.KeyTag)'"

        $prompt | Should -Match 'EVERY access and refresh token'
        $prompt | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
    }

    It 'replaces the generator with -Force, and every token issued before stops working' {
        $key = New-KeyWithGenerator $emulator 'resetforce'
        $old = Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag
        $set = New-NcpKmsToken -KeyTag $key.KeyTag
        Invoke-TokenRequest -Emulator $emulator -Token $set.AccessToken -KeyTag $key.KeyTag | Should -Be 200

        $result = Invoke-WithoutHost "Reset-NcpKmsTokenGenerator -KeyTag '$($key.KeyTag)' -Force"

        $result.Errors | Should -BeNullOrEmpty
        $generator = $result.Output[0]
        $generator.PSObject.TypeNames[0] | Should -Be 'NcpKms.TokenGenerator'
        $generator.TokenGeneratorId | Should -Not -Be $old.TokenGeneratorId
        $generator.IssuedTokenCount | Should -Be 0
        Invoke-TokenRequest -Emulator $emulator -Token $set.AccessToken -KeyTag $key.KeyTag | Should -Be 401
        New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $set.RefreshToken -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
        Invoke-TokenRequest -Emulator $emulator -Token (New-NcpKmsToken -KeyTag $key.KeyTag).AccessToken -KeyTag $key.KeyTag | Should -Be 200
    }

    It 'sends nothing under -WhatIf, even with -Force' {
        $key = New-KeyWithGenerator $emulator 'resetwhatif'
        $id = (Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag).TokenGeneratorId
        $before = Get-RequestCount $emulator

        $output = Reset-NcpKmsTokenGenerator -KeyTag $key.KeyTag -WhatIf -Force

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
        (Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag).TokenGeneratorId | Should -Be $id
    }

    It 'writes KeyNotFound for a key without an active generator and goes on' {
        $without = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'resetnone'
        $with = New-KeyWithGenerator $emulator 'resetsome'

        $generators = $without.KeyTag, $with.KeyTag | Reset-NcpKmsTokenGenerator -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $generators.KeyTag | Should -Be $with.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        $failures[0].TargetObject | Should -Be $without.KeyTag
    }

    It 'replaces the generators piped from Get-NcpKmsTokenGenerator' {
        $keys = 'resetpipe1', 'resetpipe2' | ForEach-Object { New-KeyWithGenerator $emulator $_ }

        $generators = $keys.KeyTag | Get-NcpKmsTokenGenerator | Reset-NcpKmsTokenGenerator -Force

        $generators.KeyTag | Should -Be $keys.KeyTag
    }
}

Describe 'Remove-NcpKmsTokenGenerator' {
    It 'prompts by default, so with no one to answer it sends nothing' {
        $key = New-KeyWithGenerator $emulator 'removeprompt'

        Assert-PromptsAndSendsNothing $emulator "Remove-NcpKmsTokenGenerator -KeyTag '$($key.KeyTag)'" | Should -Match 'EVERY token it issued'
    }

    It 'deletes the generator with -Force: no output, tokens stop working, no new ones until a new generator' {
        $key = New-KeyWithGenerator $emulator 'removeforce'
        $set = New-NcpKmsToken -KeyTag $key.KeyTag

        $result = Invoke-WithoutHost "Remove-NcpKmsTokenGenerator -KeyTag '$($key.KeyTag)' -Force"

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -BeNullOrEmpty
        (Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag).Status | Should -Be 'INACTIVE'
        Invoke-TokenRequest -Emulator $emulator -Token $set.AccessToken -KeyTag $key.KeyTag | Should -Be 401
        New-NcpKmsToken -KeyTag $key.KeyTag -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.KeyNotFound,*'
        (New-NcpKmsTokenGenerator -KeyTag $key.KeyTag).Status | Should -Be 'ACTIVE'
    }

    It 'sends nothing under -WhatIf, even with -Force' {
        $key = New-KeyWithGenerator $emulator 'removewhatif'
        $before = Get-RequestCount $emulator

        Remove-NcpKmsTokenGenerator -KeyTag $key.KeyTag -WhatIf -Force

        Get-RequestCount $emulator | Should -Be $before
        (Get-NcpKmsTokenGenerator -KeyTag $key.KeyTag).Status | Should -Be 'ACTIVE'
    }

    It 'writes KeyNotFound for a generator already deleted' {
        $key = New-KeyWithGenerator $emulator 'removetwice'
        Remove-NcpKmsTokenGenerator -KeyTag $key.KeyTag -Force

        Remove-NcpKmsTokenGenerator -KeyTag $key.KeyTag -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.RemoveNcpKmsTokenGenerator'
        $failures[0].TargetObject | Should -Be $key.KeyTag
    }
}

Describe 'New-NcpKmsToken' {
    It 'issues an access token that authorises crypto calls and a refresh token that issues tokens' {
        $key = New-KeyWithGenerator $emulator 'tokennew'

        $set = New-NcpKmsToken -KeyTag $key.KeyTag

        $set.PSObject.TypeNames[0] | Should -Be 'NcpKms.TokenSet'
        $set.KeyTag | Should -Be $key.KeyTag
        $set.AccessToken | Should -BeOfType [securestring]
        $set.RefreshToken | Should -BeOfType [securestring]
        Invoke-TokenRequest -Emulator $emulator -Token $set.AccessToken -KeyTag $key.KeyTag | Should -Be 200
        (New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $set.RefreshToken).AccessToken | Should -BeOfType [securestring]
    }

    It 'sends no lifetime when none is given, so the service defaults apply (72 h and 2160 h)' {
        $key = New-KeyWithGenerator $emulator 'tokendefault'

        $set = New-NcpKmsToken -KeyTag $key.KeyTag

        Get-TokenLifetimeHours $set.AccessToken | Should -Be 72
        Get-TokenLifetimeHours $set.RefreshToken | Should -Be 2160
        $set.AccessTokenLifetime.IsDefault | Should -BeTrue
        "$($set.AccessTokenLifetime)" | Should -Be '72 h (default)'
        "$($set.RefreshTokenLifetime)" | Should -Be '2160 h (default)'
    }

    It 'applies the hours given' {
        $key = New-KeyWithGenerator $emulator 'tokenhours'

        $set = New-NcpKmsToken -KeyTag $key.KeyTag -AccessTokenHours 1 -RefreshTokenHours 17520

        Get-TokenLifetimeHours $set.AccessToken | Should -Be 1
        Get-TokenLifetimeHours $set.RefreshToken | Should -Be 17520
        $set.AccessTokenLifetime.Hours | Should -Be 1
        $set.RefreshTokenLifetime.Hours | Should -Be 17520
    }

    It 'makes every lifetime not given in hours unlimited with -Unlimited' -ForEach @(
        @{ Name = 'tokenul1'; Given = @{}; Access = $null; Refresh = $null }
        @{ Name = 'tokenul2'; Given = @{ AccessTokenHours = 2 }; Access = 2; Refresh = $null }
        @{ Name = 'tokenul3'; Given = @{ RefreshTokenHours = 24 }; Access = $null; Refresh = 24 }
    ) {
        $key = New-KeyWithGenerator $emulator $Name

        $set = New-NcpKmsToken -KeyTag $key.KeyTag -Unlimited @Given

        Get-TokenLifetimeHours $set.AccessToken | Should -Be $Access
        Get-TokenLifetimeHours $set.RefreshToken | Should -Be $Refresh
        $set.AccessTokenLifetime.IsUnlimited | Should -Be ($null -eq $Access)
        $set.RefreshTokenLifetime.IsUnlimited | Should -Be ($null -eq $Refresh)
    }

    It 'refuses -Unlimited with both hours before any request, and goes on' {
        $key = New-KeyWithGenerator $emulator 'tokenconflict'
        $before = Get-RequestCount $emulator

        $output = $key.KeyTag, $key.KeyTag | New-NcpKmsToken -AccessTokenHours 1 -RefreshTokenHours 2 -Unlimited -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidTokenLifetime,NcpKms.Commands.NewNcpKmsToken'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $key.KeyTag
        $failures[0].Exception.Message | Should -Match '-Unlimited'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses <Hours> hours for -<Parameter> before any request' -ForEach @(
        @{ Parameter = 'AccessTokenHours'; Hours = 0 }
        @{ Parameter = 'AccessTokenHours'; Hours = 17521 }
        @{ Parameter = 'RefreshTokenHours'; Hours = 0 }
        @{ Parameter = 'RefreshTokenHours'; Hours = 17521 }
    ) {
        $before = Get-RequestCount $emulator
        $arguments = @{ $Parameter = $Hours }

        { New-NcpKmsToken -KeyTag ('k' * 64) @arguments } | Should -Throw -ErrorId "ParameterArgumentValidationError,NcpKms.Commands.NewNcpKmsToken"

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'writes KeyNotFound naming a missing generator and goes on with the next key' {
        $without = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'tokennogen'
        $with = New-KeyWithGenerator $emulator 'tokengen'

        $sets = $without.KeyTag, $with.KeyTag | New-NcpKmsToken -ErrorVariable failures -ErrorAction SilentlyContinue

        $sets.KeyTag | Should -Be $with.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.NewNcpKmsToken'
        $failures[0].TargetObject | Should -Be $without.KeyTag
        $failures[0].Exception.Message | Should -Match 'no active token generator'
    }

    It 'issues tokens for the generators piped from New-NcpKmsTokenGenerator' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'tokenpipe' -Count 2

        $sets = $keys.KeyTag | New-NcpKmsTokenGenerator | New-NcpKmsToken -AccessTokenHours 5

        $sets.KeyTag | Should -Be $keys.KeyTag
        $sets | ForEach-Object { Get-TokenLifetimeHours $_.AccessToken } | Should -Be @(5, 5)
    }

    It 'sends no request under -WhatIf, and names the key tag as target' {
        $key = New-KeyWithGenerator $emulator 'tokenwhatif'
        $before = Get-RequestCount $emulator
        $transcript = Join-Path $env:HOME 'token-whatif.txt'

        Start-Transcript -Path $transcript
        try { $output = New-NcpKmsToken -KeyTag $key.KeyTag -AccessTokenHours 4 -Unlimited -WhatIf }
        finally { Stop-Transcript }

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
        $text = Get-Content $transcript -Raw
        $text | Should -Match ([regex]::Escape("on target `"$($key.KeyTag)`""))
        $text | Should -Match ([regex]::Escape('access token (4 h) and a refresh token (Unlimited)'))
    }

}

Describe 'Update-NcpKmsToken' {
    BeforeAll {
        $renewKey = New-KeyWithGenerator $emulator 'renew'
        $renewSet = New-NcpKmsToken -KeyTag $renewKey.KeyTag
    }

    It 'renews with the refresh token from -Token: new tokens, and the old ones keep working' {
        $renewed = Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $renewSet.RefreshToken

        $renewed.PSObject.TypeNames[0] | Should -Be 'NcpKms.TokenSet'
        $renewed.KeyTag | Should -Be $renewKey.KeyTag
        ConvertTo-PlainToken $renewed.AccessToken | Should -Not -Be (ConvertTo-PlainToken $renewSet.AccessToken)
        ConvertTo-PlainToken $renewed.RefreshToken | Should -Not -Be (ConvertTo-PlainToken $renewSet.RefreshToken)
        Invoke-TokenRequest -Emulator $emulator -Token $renewed.AccessToken -KeyTag $renewKey.KeyTag | Should -Be 200
        Invoke-TokenRequest -Emulator $emulator -Token $renewSet.AccessToken -KeyTag $renewKey.KeyTag | Should -Be 200
    }

    It 'sends a PUT with the token and no signature headers' {
        $before = Get-RequestCount $emulator

        $null = Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $renewSet.RefreshToken

        $request = Get-RequestsSince $emulator $before
        $request.Method | Should -Be 'PUT'
        $request.Path | Should -Be "/kms/v1/keys/$($renewKey.KeyTag)/token-set"
        $request.AccessKey | Should -BeNullOrEmpty
        $request.StatusCode | Should -Be 200
    }

    It 'applies the lifetime rules of New-NcpKmsToken' {
        $renewed = Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $renewSet.RefreshToken -AccessTokenHours 3 -Unlimited

        Get-TokenLifetimeHours $renewed.AccessToken | Should -Be 3
        Get-TokenLifetimeHours $renewed.RefreshToken | Should -BeNullOrEmpty
        $renewed.RefreshTokenLifetime.IsUnlimited | Should -BeTrue
    }

    It 'takes the refresh token from NCLOUD_KMS_TOKEN, with no account credentials anywhere' {
        $env:NCLOUD_KMS_TOKEN = ConvertTo-PlainToken $renewSet.RefreshToken
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint
        Disconnect-NcpKms
        try {
            $renewed = Update-NcpKmsToken -KeyTag $renewKey.KeyTag
        }
        finally {
            $env:NCLOUD_KMS_TOKEN = $null
            $env:NCLOUD_KMS_ENDPOINT = $null
            Connect-TestEmulator $emulator
        }

        $renewed.AccessToken | Should -BeOfType [securestring]
    }

    It 'stops with NcpKms.TokenNotFound when there is no refresh token, before any request' {
        $before = Get-RequestCount $emulator

        { Update-NcpKmsToken -KeyTag $renewKey.KeyTag } | Should -Throw -ErrorId 'NcpKms.TokenNotFound,NcpKms.Commands.UpdateNcpKmsToken'

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'writes AuthenticationFailed for an access token, or a refresh token of another key, and goes on' {
        $otherKey = New-KeyWithGenerator $emulator 'renewother'
        $otherSet = New-NcpKmsToken -KeyTag $otherKey.KeyTag

        $output = $renewKey.KeyTag, $otherKey.KeyTag | Update-NcpKmsToken -Token $renewSet.AccessToken -ErrorVariable accessFailures -ErrorAction SilentlyContinue
        $otherOutput = Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $otherSet.RefreshToken -ErrorVariable otherFailures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $otherOutput | Should -BeNullOrEmpty
        $accessFailures.Count | Should -Be 2
        $accessFailures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.AuthenticationFailed,NcpKms.Commands.UpdateNcpKmsToken'
        $accessFailures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $accessFailures[0].TargetObject | Should -Be $renewKey.KeyTag
        $otherFailures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.AuthenticationFailed,*'
    }

    It 'sends no request under -WhatIf' {
        $before = Get-RequestCount $emulator

        $output = Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $renewSet.RefreshToken -WhatIf

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses -Unlimited with both hours before any request' {
        $before = Get-RequestCount $emulator

        Update-NcpKmsToken -KeyTag $renewKey.KeyTag -Token $renewSet.RefreshToken -AccessTokenHours 1 -RefreshTokenHours 1 -Unlimited -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidTokenLifetime,NcpKms.Commands.UpdateNcpKmsToken'
        Get-RequestCount $emulator | Should -Be $before
    }

}

Describe 'New-NcpKmsAccessToken' {
    BeforeAll {
        $accessKey = New-KeyWithGenerator $emulator 'access'
        $accessSet = New-NcpKmsToken -KeyTag $accessKey.KeyTag
    }

    It 'issues an access token alone from the refresh token of a set' {
        $before = Get-RequestCount $emulator

        $access = New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag -Token $accessSet.RefreshToken

        $access.PSObject.TypeNames[0] | Should -Be 'NcpKms.TokenSet'
        $access.RefreshToken | Should -BeNullOrEmpty
        $access.RefreshTokenLifetime | Should -BeNullOrEmpty
        Get-TokenLifetimeHours $access.AccessToken | Should -Be 72
        Invoke-TokenRequest -Emulator $emulator -Token $access.AccessToken -KeyTag $accessKey.KeyTag | Should -Be 200
        $request = (Get-RequestsSince $emulator $before)[0]
        $request.Method | Should -Be 'POST'
        $request.Path | Should -Be "/kms/v1/keys/$($accessKey.KeyTag)/access-token"
        $request.AccessKey | Should -BeNullOrEmpty
    }

    It 'applies -AccessTokenHours, or -Unlimited' {
        Get-TokenLifetimeHours (New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag -Token $accessSet.RefreshToken -AccessTokenHours 8).AccessToken | Should -Be 8
        $unlimited = New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag -Token $accessSet.RefreshToken -Unlimited
        Get-TokenLifetimeHours $unlimited.AccessToken | Should -BeNullOrEmpty
        "$($unlimited.AccessTokenLifetime)" | Should -Be 'Unlimited'
    }

    It 'refuses -Unlimited with -AccessTokenHours before any request' {
        $before = Get-RequestCount $emulator

        New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag -Token $accessSet.RefreshToken -AccessTokenHours 8 -Unlimited -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidTokenLifetime,NcpKms.Commands.NewNcpKmsAccessToken'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'works in the natural pipeline from New-NcpKmsToken, keyed by the set' {
        $keys = 'accesspipe1', 'accesspipe2' | ForEach-Object { New-KeyWithGenerator $emulator $_ }

        $accessTokens = foreach ($key in $keys) {
            $set = New-NcpKmsToken -KeyTag $key.KeyTag
            $set | New-NcpKmsAccessToken -Token $set.RefreshToken -AccessTokenHours 1
        }

        $accessTokens.KeyTag | Should -Be $keys.KeyTag
    }

    It 'stops with NcpKms.TokenNotFound without a refresh token' {
        { New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag } | Should -Throw -ErrorId 'NcpKms.TokenNotFound,NcpKms.Commands.NewNcpKmsAccessToken'
    }

    It 'sends no request under -WhatIf' {
        $before = Get-RequestCount $emulator

        New-NcpKmsAccessToken -KeyTag $accessKey.KeyTag -Token $accessSet.RefreshToken -WhatIf

        Get-RequestCount $emulator | Should -Be $before
    }

}

Describe 'Tokens never reach a stream' {
    It 'keeps every token out of output, errors, Verbose and Debug, views, ToString and JSON' {
        $key = New-KeyWithGenerator $emulator 'tokensecret'
        $sets = [System.Collections.Generic.List[object]]::new()

        $text = Get-AllStreamText {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            $set = New-NcpKmsToken -KeyTag $key.KeyTag -Verbose -Debug
            $sets.Add($set)
            $set
            $set | Format-List * | Out-String
            $set | Format-Table | Out-String
            $set | ConvertTo-Json -Depth 5
            "$set"
            "$($set.AccessToken)"
            $renewed = Update-NcpKmsToken -KeyTag $key.KeyTag -Token $set.RefreshToken -Verbose -Debug
            $sets.Add($renewed)
            $renewed | Format-List * | Out-String
            $access = New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $renewed.RefreshToken -Verbose -Debug
            $sets.Add($access)
            $access | Format-List * | Out-String
            # Failures quote neither the token sent nor the answer.
            New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $set.AccessToken -Verbose -Debug -ErrorAction Continue
            Update-NcpKmsToken -KeyTag ('z' * 64) -Token $set.RefreshToken -Verbose -Debug -ErrorAction Continue
            $env:NCLOUD_KMS_TOKEN = ConvertTo-PlainToken $renewed.RefreshToken
            try { New-NcpKmsAccessToken -KeyTag $key.KeyTag -Verbose -Debug | Format-List * | Out-String }
            finally { $env:NCLOUD_KMS_TOKEN = $null }
        }

        $text | Should -Match 'HTTP 200'
        $text | Should -Match 'refresh token \(-Token\)'
        $text | Should -Match 'Authentication Failed'
        $tokens = foreach ($set in $sets) {
            ConvertTo-PlainToken $set.AccessToken
            if ($set.RefreshToken) { ConvertTo-PlainToken $set.RefreshToken }
        }
        $tokens.Count | Should -Be 5
        foreach ($token in $tokens) {
            $text | Should -Not -Match ([regex]::Escape($token))
            # Not even the signature part of a token on its own.
            $text | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
        }
    }
}
