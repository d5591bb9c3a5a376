BeforeDiscovery {
    # -ForEach data is bound at discovery, before BeforeAll runs.
    $badAddresses = @(
        @{ Address = '10.0.0.0/24' }, @{ Address = '10.0.0.1/32' }, @{ Address = '::1' }, @{ Address = '2001:db8::1' },
        @{ Address = '10.0.0' }, @{ Address = '10.0.0.256' }, @{ Address = '010.0.0.1' }, @{ Address = 'example.com' },
        @{ Address = '1.2.3.4.5' }, @{ Address = '  ' }
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $emulator = Start-TokenTestSession

    # A key with a token generator and a token set, so tests can see what the ACL does to token requests.
    function New-TokenKey([string] $Name) {
        $key = New-KeyWithGenerator $emulator $Name
        [pscustomobject]@{ KeyTag = $key.KeyTag; Tokens = New-NcpKmsToken -KeyTag $key.KeyTag }
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Key cmdlet conventions of the IP ACL cmdlets' {
    It '<Name>: -KeyTag from the pipeline, checked before any request; ConfirmImpact <Impact>' -ForEach @(
        @{ Name = 'Get-NcpKmsKeyAcl'; Impact = 'None'; Arguments = @{} }
        @{ Name = 'Add-NcpKmsKeyAclRule'; Impact = 'Medium'; Arguments = @{ IpAddress = '10.0.0.1' } }
        @{ Name = 'Remove-NcpKmsKeyAclRule'; Impact = 'High'; Arguments = @{ IpAddress = '10.0.0.1' } }
        @{ Name = 'Enable-NcpKmsKeyAcl'; Impact = 'Medium'; Arguments = @{} }
        @{ Name = 'Disable-NcpKmsKeyAcl'; Impact = 'Medium'; Arguments = @{} }
    ) {
        Assert-KeyCmdletConvention -Emulator $emulator -Name $Name -Impact $Impact -Arguments $Arguments
    }
}

Describe 'Get-NcpKmsKeyAcl' {
    It 'reads a new key''s ACL: disabled, nothing allowed' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclget'

        $acl = Get-NcpKmsKeyAcl -KeyTag $key.KeyTag

        $acl.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyAcl'
        $acl.KeyTag | Should -Be $key.KeyTag
        $acl.IsAclEnabled | Should -BeFalse
        $acl.AllowedIpList.Count | Should -Be 0
        ,$acl.AllowedIpList | Should -BeOfType [string[]]
    }

    It 'reads the ACL of every key piped from Get-NcpKmsKey, and goes on after an unknown key' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclpipe' -Count 2
        $unknown = 'u' * 64

        $acls = $keys[0].KeyTag, $unknown, $keys[1].KeyTag | Get-NcpKmsKeyAcl -ErrorVariable failures -ErrorAction SilentlyContinue

        $acls.KeyTag | Should -Be $keys.KeyTag
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.GetNcpKmsKeyAcl'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $unknown
    }

}

Describe 'Add-NcpKmsKeyAclRule' {
    It 'allows the addresses and writes the whole ACL read after the change' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'acladd'
        $before = Get-RequestCount $emulator

        $acl = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '203.0.113.10', '198.51.100.7'

        $acl.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyAcl'
        $acl.AllowedIpList | Should -Be @('203.0.113.10', '198.51.100.7')
        $acl.IsAclEnabled | Should -BeFalse
        $requests = Get-RequestsSince $emulator $before
        $requests.Method | Should -Be @('POST', 'GET')
        $requests.Path | Should -Be @("/kms/v1/keys/$($key.KeyTag)/acl", "/kms/v1/keys/$($key.KeyTag)/acl")
    }

    It 'trims white space, sends duplicates once and accepts an address already allowed' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'acltrim'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.0.0.1'

        $acl = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress " 10.0.0.2`r", '10.0.0.2', '10.0.0.1'

        $acl.AllowedIpList | Should -Be @('10.0.0.1', '10.0.0.2')
    }

    It 'refuses <Address> with NcpKms.InvalidIpAddress before any request' -ForEach $badAddresses {
        $tag = 'k' * 64
        $before = Get-RequestCount $emulator

        $acl = Add-NcpKmsKeyAclRule -KeyTag $tag -IpAddress '10.0.0.1', $Address -ErrorVariable failures -ErrorAction SilentlyContinue

        $acl | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidIpAddress,NcpKms.Commands.AddNcpKmsKeyAclRule'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $tag
        $failures[0].Exception.Message | Should -Match ([regex]::Escape("'$Address'"))
        $failures[0].Exception.Message | Should -Match '-IpAddress'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'refuses an empty -IpAddress list or an empty address when the parameters are bound' -ForEach @(
        @{ Addresses = @() }, @{ Addresses = @('10.0.0.1', '') }, @{ Addresses = @('10.0.0.1', $null) }
    ) {
        $before = Get-RequestCount $emulator

        { Add-NcpKmsKeyAclRule -KeyTag ('k' * 64) -IpAddress $Addresses } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NcpKms.Commands.AddNcpKmsKeyAclRule'

        Get-RequestCount $emulator | Should -Be $before
    }

    It 'adds the addresses to every key piped in, and goes on after a malformed key tag' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclmany' -Count 2

        $acls = $keys[0].KeyTag, 'bad tag', $keys[1].KeyTag | Add-NcpKmsKeyAclRule -IpAddress '192.0.2.1' -ErrorVariable failures -ErrorAction SilentlyContinue

        $acls.KeyTag | Should -Be $keys.KeyTag
        $acls.AllowedIpList | Should -Be @('192.0.2.1', '192.0.2.1')
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.InvalidKeyTag,*'
    }

    It 'sends no request under -WhatIf' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclwhatif'
        $before = Get-RequestCount $emulator

        $output = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '192.0.2.1' -WhatIf

        $output | Should -BeNullOrEmpty
        Get-RequestCount $emulator | Should -Be $before
    }

}

Describe 'Remove-NcpKmsKeyAclRule' {
    It 'prompts by default, so with no one to answer it sends nothing' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclprompt'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.1.1.1'

        Assert-PromptsAndSendsNothing $emulator "Remove-NcpKmsKeyAclRule -KeyTag '$($key.KeyTag)' -IpAddress 10.1.1.1" | Should -Match '10\.1\.1\.1'
    }

    It 'removes the addresses with -Force through a DELETE with a body, and writes the ACL after' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclremove'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.1.1.1', '10.1.1.2', '10.1.1.3'
        $before = Get-RequestCount $emulator

        $result = Invoke-WithoutHost "Remove-NcpKmsKeyAclRule -KeyTag '$($key.KeyTag)' -IpAddress 10.1.1.1, 10.1.1.3 -Force"

        $result.Errors | Should -BeNullOrEmpty
        $result.Output[0].AllowedIpList | Should -Be @('10.1.1.2')
        $requests = Get-RequestsSince $emulator $before
        $requests.Method | Should -Be @('DELETE', 'GET')
        $requests[0].StatusCode | Should -Be 200
        (Get-NcpKmsKeyAcl -KeyTag $key.KeyTag).AllowedIpList | Should -Be @('10.1.1.2')
    }

    It 'accepts an address that is not listed' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclnotlisted'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.1.1.1'

        $acl = Remove-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.9.9.9' -Force

        $acl.AllowedIpList | Should -Be @('10.1.1.1')
    }

    It 'warns when the last address leaves an enabled ACL, which then denies every token request' {
        $key = New-TokenKey 'acllast'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '127.0.0.1'
        $null = Enable-NcpKmsKeyAcl -KeyTag $key.KeyTag
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 200

        $acl = Remove-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '127.0.0.1' -Force -WarningVariable warnings -WarningAction SilentlyContinue

        $acl.AllowedIpList.Count | Should -Be 0
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'every token request for this key is denied'
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 403
    }

    It 'sends nothing under -WhatIf, even with -Force' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclrmwhatif'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.1.1.1'
        $before = Get-RequestCount $emulator

        Remove-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '10.1.1.1' -WhatIf -Force

        Get-RequestCount $emulator | Should -Be $before
        (Get-NcpKmsKeyAcl -KeyTag $key.KeyTag).AllowedIpList | Should -Be @('10.1.1.1')
    }

    It 'refuses <Address> before any request' -ForEach $badAddresses {
        $before = Get-RequestCount $emulator

        Remove-NcpKmsKeyAclRule -KeyTag ('k' * 64) -IpAddress $Address -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.InvalidIpAddress,NcpKms.Commands.RemoveNcpKmsKeyAclRule'
        Get-RequestCount $emulator | Should -Be $before
    }

    It 'removes an address from the ACLs piped from Get-NcpKmsKeyAcl' {
        $keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclrmpipe' -Count 2
        $null = $keys.KeyTag | Add-NcpKmsKeyAclRule -IpAddress '10.2.2.2', '10.3.3.3'

        $acls = $keys.KeyTag | Get-NcpKmsKeyAcl | Where-Object AllowedIpList -Contains '10.2.2.2' | Remove-NcpKmsKeyAclRule -IpAddress '10.2.2.2' -Force

        $acls.KeyTag | Should -Be $keys.KeyTag
        $acls.AllowedIpList | Should -Be @('10.3.3.3', '10.3.3.3')
    }
}

Describe 'Enable-NcpKmsKeyAcl' {
    It 'enables the ACL: token requests come only from allowed addresses, account requests are not affected' {
        $key = New-TokenKey 'aclenable'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '203.0.113.10'

        $acl = Enable-NcpKmsKeyAcl -KeyTag $key.KeyTag -WarningVariable warnings

        $acl.PSObject.TypeNames[0] | Should -Be 'NcpKms.KeyAcl'
        $acl.IsAclEnabled | Should -BeTrue
        $acl.AllowedIpList | Should -Be @('203.0.113.10')
        $warnings | Should -BeNullOrEmpty
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 403
        New-NcpKmsAccessToken -KeyTag $key.KeyTag -Token $key.Tokens.RefreshToken -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.PermissionDenied,*'
        (Get-NcpKmsKey -KeyTag $key.KeyTag).KeyTag | Should -Be $key.KeyTag
    }

    It 'lets token requests from an allowed address through' {
        $key = New-TokenKey 'aclallowed'

        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '127.0.0.1' | Enable-NcpKmsKeyAcl

        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 200
    }

    It 'warns that an enabled ACL with no address denies every token request' {
        $key = New-TokenKey 'aclempty'

        $acl = Enable-NcpKmsKeyAcl -KeyTag $key.KeyTag -WarningVariable warnings -WarningAction SilentlyContinue

        $acl.IsAclEnabled | Should -BeTrue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match ([regex]::Escape($key.KeyTag))
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 403
    }

    It 'sends no request under -WhatIf' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclenwhatif'
        $before = Get-RequestCount $emulator

        Enable-NcpKmsKeyAcl -KeyTag $key.KeyTag -WhatIf

        Get-RequestCount $emulator | Should -Be $before
        (Get-NcpKmsKeyAcl -KeyTag $key.KeyTag).IsAclEnabled | Should -BeFalse
    }

    It 'writes KeyNotFound for an unknown key and goes on' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'aclenmany'

        $acls = ('u' * 64), $key.KeyTag | Enable-NcpKmsKeyAcl -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $acls.KeyTag | Should -Be $key.KeyTag
        $failures[0].FullyQualifiedErrorId | Should -Be 'NcpKms.KeyNotFound,NcpKms.Commands.EnableNcpKmsKeyAcl'
        $failures[0].TargetObject | Should -Be ('u' * 64)
    }

}

Describe 'Disable-NcpKmsKeyAcl' {
    It 'disables the ACL, keeps the list, and token requests work from anywhere again' {
        $key = New-TokenKey 'acldisable'
        $null = Add-NcpKmsKeyAclRule -KeyTag $key.KeyTag -IpAddress '203.0.113.10' | Enable-NcpKmsKeyAcl
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 403

        $acl = Disable-NcpKmsKeyAcl -KeyTag $key.KeyTag

        $acl.IsAclEnabled | Should -BeFalse
        $acl.AllowedIpList | Should -Be @('203.0.113.10')
        Invoke-TokenRequest -Emulator $emulator -Token $key.Tokens.AccessToken -KeyTag $key.KeyTag | Should -Be 200
    }

    It 'sends no request under -WhatIf' {
        $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'acldiswhatif'
        $null = Enable-NcpKmsKeyAcl -KeyTag $key.KeyTag -WarningAction SilentlyContinue
        $before = Get-RequestCount $emulator

        Disable-NcpKmsKeyAcl -KeyTag $key.KeyTag -WhatIf

        Get-RequestCount $emulator | Should -Be $before
    }

}
