BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $alpha = Start-NcpKmsEmulator -AccessKey 'ALPHAACCESSKEY000001' -SecretKey 'alpha-secret-key-value-0123456789abcdef' -KeyCount 1
    $beta = Start-NcpKmsEmulator -AccessKey 'BETAACCESSKEY0000002' -SecretKey 'beta-secret-key-value-0123456789abcdefg' -KeyCount 2
    $alphaKey = (Add-NcpKmsEmulatorKey -Emulator $alpha -Name 'alphaonly').KeyTag
    $betaKey = (Add-NcpKmsEmulatorKey -Emulator $beta -Name 'betaonly').KeyTag

    function Clear-CredentialSources {
        Disconnect-NcpKms
        foreach ($name in 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_ACCESS_KEY', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_SECRET_KEY', 'NCLOUD_PROFILE', 'NCLOUD_KMS_ENDPOINT') {
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        Remove-Item (Join-Path $env:HOME '.ncloud') -Recurse -Force -ErrorAction SilentlyContinue
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Connect-NcpKms' {
    BeforeEach { Clear-CredentialSources }

    It 'validates the credentials with one signed call and sets the session context' {
        $before = Get-RequestCount $alpha

        Connect-NcpKms -Endpoint $alpha.Endpoint -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString $alpha.SecretKey)

        Get-RequestCount $alpha | Should -Be ($before + 1)
        (Get-NcpKmsEmulatorRequest -Emulator $alpha)[-1].Path | Should -Be '/kms/v1/keys?pageNo=1&pageSize=1'
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'writes nothing unless -PassThru, then the context' {
        $quiet = Connect-NcpKms -Endpoint $alpha.Endpoint -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString $alpha.SecretKey)
        $context = Connect-NcpKms -Endpoint $alpha.Endpoint -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString $alpha.SecretKey) -PassThru

        $quiet | Should -BeNullOrEmpty
        $context.PSObject.TypeNames[0] | Should -Be 'NcpKms.Context'
        $context.Endpoint | Should -Be $alpha.Endpoint
        $context.AccessKey | Should -Be '****************0001'
        $context.CredentialSource | Should -Be 'Connect-NcpKms -AccessKey'
    }

    It 'takes a PSCredential with the access key as user name' {
        $credential = [pscredential]::new($beta.AccessKey, (ConvertTo-TestSecureString $beta.SecretKey))

        $context = Connect-NcpKms -Endpoint $beta.Endpoint -Credential $credential -PassThru

        $context.CredentialSource | Should -Be 'Connect-NcpKms -Credential'
        (Get-NcpKmsKey -KeyTag $betaKey).KeyName | Should -Be 'betaonly'
    }

    It 'fails with NcpKms.AuthenticationFailed and keeps the previous context when the secret is wrong' {
        Connect-TestEmulator $alpha

        { Connect-NcpKms -Endpoint $alpha.Endpoint -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString 'wrong-secret') } |
            Should -Throw -ErrorId 'NcpKms.AuthenticationFailed,NcpKms.Commands.ConnectNcpKms'

        (Get-NcpKmsContext).Endpoint | Should -Be $alpha.Endpoint
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'sends nothing with -SkipValidation' {
        $before = Get-RequestCount $alpha

        Connect-NcpKms -Endpoint $alpha.Endpoint -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString 'not-checked') -SkipValidation

        Get-RequestCount $alpha | Should -Be $before
    }

    It 'reads a profile of ~/.ncloud/configure with -ProfileName' {
        Set-TestConfigureFile "[DEFAULT]`nncloud_access_key_id = $($alpha.AccessKey)`nncloud_secret_access_key = $($alpha.SecretKey)`n`n[project]`nncloud_access_key_id = $($beta.AccessKey)`nncloud_secret_access_key = $($beta.SecretKey)`n"

        $context = Connect-NcpKms -ProfileName project -Endpoint $beta.Endpoint -PassThru

        $context.CredentialSource | Should -BeLike "Profile 'project' in *configure"
        $context.ProfileName | Should -Be 'project'
        (Get-NcpKmsKey -KeyTag $betaKey).KeyName | Should -Be 'betaonly'
    }

    It 'refuses a profile the file does not have with NcpKms.ProfileNotFound' {
        Set-TestConfigureFile "[DEFAULT]`nncloud_access_key_id = $($alpha.AccessKey)`nncloud_secret_access_key = $($alpha.SecretKey)`n"

        { Connect-NcpKms -ProfileName missing -Endpoint $alpha.Endpoint } | Should -Throw -ErrorId 'NcpKms.ProfileNotFound,*'
    }

    It 'uses environment variables when no credential parameter is given' {
        $env:NCLOUD_ACCESS_KEY = $beta.AccessKey
        $env:NCLOUD_SECRET_KEY = $beta.SecretKey

        $context = Connect-NcpKms -Endpoint $beta.Endpoint -PassThru

        $context.CredentialSource | Should -Be 'Environment: NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY'
    }

    It 'maps -Site and -Region to the documented hosts' -ForEach @(
        @{ Site = 'Public'; Region = 'Global'; Endpoint = 'https://ocapi.ncloud.com' }
        @{ Site = 'Public'; Region = 'KR'; Endpoint = 'https://ocapi-kr.ncloud.com' }
        @{ Site = 'Public'; Region = 'JP'; Endpoint = 'https://ocapi-jp.ncloud.com' }
        @{ Site = 'Gov'; Region = 'Global'; Endpoint = 'https://ocapi.gov-ncloud.com' }
    ) {
        $context = Connect-NcpKms -AccessKey 'SITEACCESSKEY' -SecretKey (ConvertTo-TestSecureString 'x') -Site $Site -Region $Region -SkipValidation -PassThru

        $context.Endpoint | Should -Be $Endpoint
    }

    It 'refuses a region the gov site does not have' {
        { Connect-NcpKms -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -Site Gov -Region KR -SkipValidation } |
            Should -Throw -ErrorId 'NcpKms.InvalidEndpoint,*'
    }

    It 'prefers NCLOUD_KMS_ENDPOINT to -Site and says so' {
        $env:NCLOUD_KMS_ENDPOINT = $alpha.Endpoint

        $context = Connect-NcpKms -AccessKey $alpha.AccessKey -SecretKey (ConvertTo-TestSecureString $alpha.SecretKey) -Site Gov -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $context.Endpoint | Should -Be $alpha.Endpoint
        $context.EndpointSource | Should -Be 'NCLOUD_KMS_ENDPOINT'
        $warnings[0] | Should -Match 'NCLOUD_KMS_ENDPOINT'
    }

    It 'refuses an http endpoint that is not loopback, and endpoints with a path' -ForEach @(
        @{ Endpoint = 'http://ocapi.ncloud.com' }, @{ Endpoint = 'https://ocapi.ncloud.com/kms/v1' }, @{ Endpoint = 'ocapi.ncloud.com' }, @{ Endpoint = 'https://user:pw@ocapi.ncloud.com' }
    ) {
        { Connect-NcpKms -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -Endpoint $Endpoint -SkipValidation } |
            Should -Throw -ErrorId 'NcpKms.InvalidEndpoint,*'
    }

    It 'accepts http to a loopback host' -ForEach @(@{ Endpoint = 'http://127.0.0.1:8080' }, @{ Endpoint = 'http://localhost:1' }, @{ Endpoint = 'http://[::1]:2' }) {
        (Connect-NcpKms -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -Endpoint $Endpoint -SkipValidation -PassThru).EndpointSource | Should -Be '-Endpoint'
    }
}

Describe 'Disconnect-NcpKms' {
    BeforeEach { Clear-CredentialSources }

    It 'clears the session context so cmdlets fall back to the environment' {
        Connect-TestEmulator $alpha
        $env:NCLOUD_ACCESS_KEY_ID = $beta.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $beta.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $beta.Endpoint

        Disconnect-NcpKms

        (Get-NcpKmsContext).CredentialSource | Should -Be 'Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY'
        (Get-NcpKmsKey -KeyTag $betaKey).KeyName | Should -Be 'betaonly'
    }
}

Describe 'Credential resolution order' {
    BeforeEach { Clear-CredentialSources }

    It 'uses -Context before the session context' {
        $betaContext = Connect-TestEmulator $beta -PassThru
        Connect-TestEmulator $alpha

        (Get-NcpKmsKey -KeyTag $betaKey -Context $betaContext).KeyName | Should -Be 'betaonly'
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'uses the session context before environment variables' {
        $env:NCLOUD_ACCESS_KEY_ID = $beta.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $beta.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $beta.Endpoint
        Connect-TestEmulator $alpha

        (Get-NcpKmsContext).CredentialSource | Should -Be 'Connect-NcpKms -AccessKey'
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'uses environment variables before the configure file' {
        Set-TestConfigureFile "ncloud_access_key_id = WRONGACCESSKEY`nncloud_secret_access_key = wrong`n"
        $env:NCLOUD_ACCESS_KEY_ID = $alpha.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $alpha.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $alpha.Endpoint

        (Get-NcpKmsContext).CredentialSource | Should -Be 'Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY'
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'prefers the long spelling of each variable and resolves each half on its own' {
        $env:NCLOUD_ACCESS_KEY_ID = $alpha.AccessKey
        $env:NCLOUD_ACCESS_KEY = 'SHORTSPELLINGIGNORED'
        $env:NCLOUD_SECRET_KEY = $alpha.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $alpha.Endpoint

        (Get-NcpKmsContext).CredentialSource | Should -Be 'Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_KEY'
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'reads the [DEFAULT] profile of a file with two profiles' {
        Set-TestConfigureFile "[DEFAULT]`nncloud_access_key_id = $($alpha.AccessKey)`nncloud_secret_access_key = $($alpha.SecretKey)`nncloud_api_url = https://ncloud.apigw.ntruss.com`n`n[project]`nncloud_access_key_id = $($beta.AccessKey)`nncloud_secret_access_key = $($beta.SecretKey)`n"
        $env:NCLOUD_KMS_ENDPOINT = $alpha.Endpoint

        (Get-NcpKmsContext).CredentialSource | Should -BeLike "Profile 'DEFAULT' in *configure"
        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'reads the profile named by NCLOUD_PROFILE' {
        Set-TestConfigureFile "[DEFAULT]`nncloud_access_key_id = $($alpha.AccessKey)`nncloud_secret_access_key = $($alpha.SecretKey)`n`n[project]`nncloud_access_key_id = $($beta.AccessKey)`nncloud_secret_access_key = $($beta.SecretKey)`n"
        $env:NCLOUD_PROFILE = 'project'
        $env:NCLOUD_KMS_ENDPOINT = $beta.Endpoint

        (Get-NcpKmsContext).CredentialSource | Should -BeLike "Profile 'project' in *configure"
        (Get-NcpKmsKey -KeyTag $betaKey).KeyName | Should -Be 'betaonly'
    }

    It 'reads keys written before any section header' {
        Set-TestConfigureFile "ncloud_access_key_id = $($alpha.AccessKey)`r`nncloud_secret_access_key = $($alpha.SecretKey)`r`n"
        $env:NCLOUD_KMS_ENDPOINT = $alpha.Endpoint

        (Get-NcpKmsKey -KeyTag $alphaKey).KeyName | Should -Be 'alphaonly'
    }

    It 'fails with NcpKms.ProfileNotFound when NCLOUD_PROFILE names a missing profile' {
        Set-TestConfigureFile "[DEFAULT]`nncloud_access_key_id = $($alpha.AccessKey)`nncloud_secret_access_key = $($alpha.SecretKey)`n"
        $env:NCLOUD_PROFILE = 'nosuchprofile'

        { Get-NcpKmsKey -KeyTag $alphaKey } | Should -Throw -ErrorId 'NcpKms.ProfileNotFound,*'
    }

    It 'fails once, listing every source tried, when nothing gives credentials' {
        $before = (Get-RequestCount $alpha) + (Get-RequestCount $beta)

        $failure = { 'tagone', 'tagtwo' | Invoke-NcpKmsKeyRotation } | Should -Throw -ErrorId 'NcpKms.CredentialsNotFound,*' -PassThru

        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        foreach ($source in '-Context', 'Connect-NcpKms', 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_KEY', 'configure') {
            $failure.Exception.Message | Should -Match ([regex]::Escape($source))
        }
        ((Get-RequestCount $alpha) + (Get-RequestCount $beta)) | Should -Be $before
    }

    It 'names both spellings of the missing half of a pair' -ForEach @(
        @{ Set = 'NCLOUD_ACCESS_KEY_ID'; Missing = 'NCLOUD_SECRET_ACCESS_KEY or NCLOUD_SECRET_KEY' }
        @{ Set = 'NCLOUD_SECRET_KEY'; Missing = 'NCLOUD_ACCESS_KEY_ID or NCLOUD_ACCESS_KEY' }
    ) {
        [Environment]::SetEnvironmentVariable($Set, 'half-of-a-pair')

        $failure = { Get-NcpKmsKey } | Should -Throw -ErrorId 'NcpKms.IncompleteCredentials,*' -PassThru

        $failure.Exception.Message | Should -Match ([regex]::Escape($Missing))
        $failure.Exception.Message | Should -Not -Match 'half-of-a-pair'
    }
}

Describe 'Get-NcpKmsContext' {
    BeforeEach { Clear-CredentialSources }

    It 'shows the masked access key, the endpoint and the credential source without a request' {
        Connect-TestEmulator $alpha
        $before = Get-RequestCount $alpha

        $context = Get-NcpKmsContext

        $context.AccessKey | Should -Be '****************0001'
        $context.Endpoint | Should -Be $alpha.Endpoint
        $context.CredentialSource | Should -Be 'Connect-NcpKms -AccessKey'
        Get-RequestCount $alpha | Should -Be $before
    }

    It 'shows the public global endpoint when nothing names one' {
        $env:NCLOUD_ACCESS_KEY_ID = 'IMPLICITACCESSKEY'
        $env:NCLOUD_SECRET_ACCESS_KEY = 'implicit-secret'

        $context = Get-NcpKmsContext

        $context.Endpoint | Should -Be 'https://ocapi.ncloud.com'
        $context.EndpointSource | Should -Be '-Site Public -Region Global'
    }

    It 'fails with NcpKms.CredentialsNotFound when nothing resolves' {
        { Get-NcpKmsContext } | Should -Throw -ErrorId 'NcpKms.CredentialsNotFound,*'
    }

    It 'has a table view' {
        Connect-TestEmulator $alpha

        $table = Get-NcpKmsContext | Out-String

        $table | Should -Match 'AccessKey\s+Endpoint\s+CredentialSource'
    }
}
