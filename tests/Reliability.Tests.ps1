BeforeAll {
    . $PSScriptRoot/Common.ps1
    Initialize-TestSession
    $emulator = Start-NcpKmsEmulator
    $key = Add-NcpKmsEmulatorKey -Emulator $emulator -Name 'reliable'

    # A loopback listener that accepts connections and never answers: every call to it hangs until cancelled.
    function Start-SilentListener {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $listener
    }
}

AfterAll {
    Complete-TestSession
}

Describe 'Retry and timeout settings' {
    AfterEach {
        foreach ($name in 'NCLOUD_KMS_MAX_RETRIES', 'NCLOUD_KMS_TIMEOUT_SEC') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    It 'defaults to 3 retries and 100 seconds' {
        $context = Connect-TestEmulator $emulator -PassThru

        $context.MaxRetries | Should -Be 3
        $context.TimeoutSec | Should -Be 100
    }

    It 'takes the settings from NCLOUD_KMS_MAX_RETRIES and NCLOUD_KMS_TIMEOUT_SEC' {
        $env:NCLOUD_KMS_MAX_RETRIES = '5'
        $env:NCLOUD_KMS_TIMEOUT_SEC = '30'

        $context = Connect-TestEmulator $emulator -PassThru

        $context.MaxRetries | Should -Be 5
        $context.TimeoutSec | Should -Be 30
    }

    It 'prefers -MaxRetries and -TimeoutSec to the environment variables' {
        $env:NCLOUD_KMS_MAX_RETRIES = '5'

        $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $emulator.SecretKey) -MaxRetries 0 -TimeoutSec 7 -PassThru

        $context.MaxRetries | Should -Be 0
        $context.TimeoutSec | Should -Be 7
    }

    It 'stops with NcpKms.InvalidSetting naming a variable that is not a whole number in range' {
        Disconnect-NcpKms
        $env:NCLOUD_ACCESS_KEY_ID = $emulator.AccessKey
        $env:NCLOUD_SECRET_ACCESS_KEY = $emulator.SecretKey
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint
        $env:NCLOUD_KMS_TIMEOUT_SEC = 'soon'

        $failure = { Get-NcpKmsKey -KeyTag $key.KeyTag } | Should -Throw -ErrorId 'NcpKms.InvalidSetting,*' -PassThru

        $failure.Exception.Message | Should -Match 'NCLOUD_KMS_TIMEOUT_SEC'
        $failure.Exception.Message | Should -Match '1 to 3600'
        foreach ($name in 'NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_ACCESS_KEY', 'NCLOUD_KMS_ENDPOINT') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    It 'refuses -MaxRetries above 10 and -TimeoutSec of 0' {
        { Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -MaxRetries 11 -SkipValidation } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -TimeoutSec 0 -SkipValidation } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'gives up an attempt after -TimeoutSec with NcpKms.Timeout' {
        $silent = Start-SilentListener
        try {
            $context = Connect-NcpKms -Endpoint "http://127.0.0.1:$($silent.LocalEndpoint.Port)" -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -SkipValidation -PassThru -TimeoutSec 1 -MaxRetries 0

            $failures = $null
            Invoke-NcpKmsKeyRotation -KeyTag $key.KeyTag -Context $context -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.Timeout,*'
            $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $failures[0].Exception.OutcomeUnknown | Should -BeTrue
        }
        finally { $silent.Stop() }
    }
}

Describe 'Cancellation' {
    It 'stops a call in flight within a second of Ctrl+C and reports nothing as done' {
        $silent = Start-SilentListener
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$ModulePath'; Connect-NcpKms -Endpoint 'http://127.0.0.1:$($silent.LocalEndpoint.Port)' -AccessKey A -SecretKey (ConvertTo-SecureString x -AsPlainText -Force) -SkipValidation; '$($key.KeyTag)' | Invoke-NcpKmsKeyRotation")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $running = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            Start-Sleep -Milliseconds 500
            $shell.InvocationStateInfo.State | Should -Be 'Running'

            $elapsed = Measure-Command { $shell.Stop() }

            $elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $output.Count | Should -Be 0
        }
        finally {
            $shell.Dispose()
            $silent.Stop()
            Disconnect-NcpKms
        }
    }
}

Describe 'Proxy' {
    It 'sends requests through the proxy given to Connect-NcpKms -Proxy' {
        $proxy = Start-SilentListener
        $seen = Start-ThreadJob -ArgumentList $proxy -ScriptBlock {
            param($listener)
            $client = $listener.AcceptTcpClient()
            $reader = [IO.StreamReader]::new($client.GetStream())
            $line = $reader.ReadLine()
            $reply = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 502 Bad Gateway`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
            $client.GetStream().Write($reply, 0, $reply.Length)
            $client.Close()
            $line
        }
        try {
            $context = Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecureString $emulator.SecretKey) -Proxy "http://127.0.0.1:$($proxy.LocalEndpoint.Port)" -MaxRetries 0 -SkipValidation -PassThru

            Get-NcpKmsKey -KeyTag $key.KeyTag -Context $context -ErrorVariable failures -ErrorAction SilentlyContinue

            $context.Proxy | Should -Be "http://127.0.0.1:$($proxy.LocalEndpoint.Port)"
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NcpKms.ServiceUnavailable,*'
            Wait-Job $seen -Timeout 5 | Receive-Job | Should -Be "GET $($emulator.Endpoint)/kms/v1/keys/$($key.KeyTag) HTTP/1.1"
        }
        finally {
            Remove-Job $seen -Force
            $proxy.Stop()
        }
    }

    It 'refuses a proxy URL with user information before any request' {
        { Connect-NcpKms -Endpoint $emulator.Endpoint -AccessKey 'A' -SecretKey (ConvertTo-TestSecureString 'x') -Proxy 'http://user:secret@proxy.example:3128' -SkipValidation } |
            Should -Throw -ErrorId 'NcpKms.InvalidProxy,*'
    }
}

Describe 'The configure file' {
    BeforeEach {
        Disconnect-NcpKms
        $env:NCLOUD_KMS_ENDPOINT = $emulator.Endpoint
        # A home folder of its own: the warning is given once per file and process.
        $env:HOME = Join-Path ([IO.Path]::GetTempPath()) ('ncpkms-home-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $env:HOME
        Set-TestConfigureFile "ncloud_access_key_id = $($emulator.AccessKey)`nncloud_secret_access_key = $($emulator.SecretKey)`n"
        $configure = Join-Path $env:HOME '.ncloud/configure'
    }

    It 'warns once when other users can read it' -Skip:$IsWindows {
        [IO.File]::SetUnixFileMode($configure, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')

        $null = Get-NcpKmsKey -KeyTag $key.KeyTag -WarningVariable first -WarningAction SilentlyContinue
        $null = Get-NcpKmsKey -KeyTag $key.KeyTag -WarningVariable second -WarningAction SilentlyContinue

        $first.Count | Should -Be 1
        "$($first[0])" | Should -Match 'chmod 600'
        "$($first[0])" | Should -Match '644'
        $second.Count | Should -Be 0
    }

    It 'says nothing about a file only its owner can read' -Skip:$IsWindows {
        [IO.File]::SetUnixFileMode($configure, [IO.UnixFileMode]'UserRead, UserWrite')

        $null = Get-NcpKmsKey -KeyTag $key.KeyTag -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Count | Should -Be 0
    }
}
