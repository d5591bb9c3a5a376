#Requires -Version 7.4
# Fault injection in NcpKms.Emulator (Set-, Get-, Clear-NcpKmsEmulatorFault), over raw HTTP with the
# independent signer of Common.ps1: what each fault answers (status, body, headers), which requests it takes,
# whether the operation was applied, what the request log records, and exact counts under concurrency.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Initialize-TestSession

    function Get-LastRequest($Emulator = $script:emulator) { @(Get-NcpKmsEmulatorRequest -Emulator $Emulator)[-1] }

    function Get-Header($Response, [string] $Name) { @($Response.Headers[$Name])[0] }

    function Get-CurrentVersion($Key) { (Invoke-RawKms $script:emulator -RequestUri "/kms/v1/keys/$($Key.KeyTag)/versions").Json.data.currentVersion }

    function Invoke-Rotate($Key) { Invoke-RawKms $script:emulator -Method POST -RequestUri "/kms/v1/keys/$($Key.KeyTag)/rotate" }

    function Invoke-KeyList { Invoke-RawKms $script:emulator -RequestUri '/kms/v1/keys' }

    # Status codes with how often each came, lowest first: '200 x7, 503 x3' (0 stands for no answer).
    function Format-StatusCount([int[]] $Codes) {
        ($Codes | Group-Object | Sort-Object { [int] $_.Name } | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ', '
    }

    # One emulator for the file; each Describe clears the faults after every test.
    $script:emulator = Start-NcpKmsEmulator
    $script:keys = Add-NcpKmsEmulatorKey -Emulator $emulator -Count 2
    $script:key = $keys[0]
}

AfterAll {
    Complete-TestSession
}

Describe 'Fail the next requests' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'answers the next 2 requests with 503 and the gateway Endpoint Error body, then answers normally' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 2
        foreach ($i in 1..2) {
            $r = Invoke-KeyList
            Assert-GatewayError $r 503 '500'
            $r.Json.error.message | Should -Be 'Endpoint Error'
            Get-Header $r 'Content-Type' | Should -Match '^application/json'
            Get-Header $r 'Retry-After' | Should -BeNullOrEmpty
        }
        (Invoke-KeyList).StatusCode | Should -Be 200
    }

    It 'sends the gateway body of the table for status <Status>: errorCode <Code> <Message>' -TestCases @(
        @{ Status = 500; Code = '900'; Message = 'Unexpected Error' }
        @{ Status = 503; Code = '500'; Message = 'Endpoint Error' }
        @{ Status = 504; Code = '510'; Message = 'Endpoint Timeout' }
        @{ Status = 429; Code = '410'; Message = 'Throttle Limited' }
        @{ Status = 401; Code = '200'; Message = 'Authentication Failed' }
    ) {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -StatusCode $Status
        $r = Invoke-KeyList
        Assert-GatewayError $r $Status $Code
        $r.Json.error.message | Should -Be $Message
    }

    It 'answers 502, which the gateway table lacks, with an HTML page' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -StatusCode 502
        $r = Invoke-KeyList
        $r.StatusCode | Should -Be 502
        Get-Header $r 'Content-Type' | Should -Match '^text/html'
        $r.Content | Should -Match '<title>502 Bad Gateway</title>'
    }

    It 'answers another status the table lacks with an empty body' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -StatusCode 507
        $r = Invoke-KeyList
        $r.StatusCode | Should -Be 507
        $r.Content | Should -BeExactly ''
    }

    It 'sends a given body exactly, the empty body included' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -StatusCode 500 -Body '{"code":"FAIL","msg":"boom"}'
        (Invoke-KeyList).Content | Should -BeExactly '{"code":"FAIL","msg":"boom"}'
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -StatusCode 503 -Body ''
        $r = Invoke-KeyList
        $r.StatusCode | Should -Be 503
        $r.Content | Should -BeExactly ''
    }

    It 'adds Retry-After when -RetryAfter is given' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -RetryAfter 7
        Get-Header (Invoke-KeyList) 'Retry-After' | Should -Be '7'
    }

    It 'takes only requests matching -Method and -Path, and leaves the operation unapplied' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -Method POST -Path '*/rotate'
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)").StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($key.KeyTag)/versions").StatusCode | Should -Be 200
        $before = Get-CurrentVersion $key
        Assert-GatewayError (Invoke-Rotate $key) 503 '500'
        Get-CurrentVersion $key | Should -Be $before
        (Invoke-Rotate $key).StatusCode | Should -Be 200
    }

    It 'records the fault in the request log: Fault Failed, Applied false, the injected answer as Detail' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 1 -Path '*/rotate'
        $null = Invoke-Rotate $key
        $entry = Get-LastRequest
        $entry.Fault | Should -Be 'Failed'
        $entry.Applied | Should -BeFalse
        $entry.StatusCode | Should -Be 503
        $entry.Detail | Should -Match 'Injected fault'
        ($entry | Out-String -Width 300) | Should -Match '503 +False +Failed' -Because 'the table view shows the Fault column'
        $null = Invoke-Rotate $key
        (Get-LastRequest).Fault | Should -BeNullOrEmpty
        (Get-LastRequest).Applied | Should -BeTrue
    }

    It 'fails exactly 3 of 10 concurrent requests' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 3
        Format-StatusCount (Invoke-ConcurrentKms $emulator -RequestUri '/kms/v1/keys' -Count 10) | Should -Be '200 x7, 503 x3'
    }
}

Describe 'Throttle per key' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'answers 429 with errorCode 410 Throttle Limited and Retry-After 1 past the requests of one second' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 2
        $uri = "/kms/v1/keys/$($keys[0].KeyTag)"
        (Invoke-RawKms $emulator -RequestUri $uri).StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -RequestUri $uri).StatusCode | Should -Be 200
        $r = Invoke-RawKms $emulator -RequestUri $uri
        Assert-GatewayError $r 429 '410'
        $r.Json.error.message | Should -Be 'Throttle Limited'
        Get-Header $r 'Retry-After' | Should -Be '1'
        (Get-LastRequest).Fault | Should -Be 'Throttled'
    }

    It 'counts each key on its own, and requests without a key tag together' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 1
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($keys[0].KeyTag)").StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($keys[1].KeyTag)/versions").StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -RequestUri "/kms/v1/keys/$($keys[1].KeyTag)").StatusCode | Should -Be 429
        (Invoke-KeyList).StatusCode | Should -Be 200
        (Invoke-RawKms $emulator -RequestUri '/kms/v1/keys?pageNo=1&pageSize=5').StatusCode | Should -Be 429
    }

    It 'sends the -RetryAfter given' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 1 -RetryAfter 30
        $null = Invoke-KeyList
        Get-Header (Invoke-KeyList) 'Retry-After' | Should -Be '30'
    }

    It 'answers again once the second has passed on the emulator clock' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 1
        $null = Invoke-KeyList
        (Invoke-KeyList).StatusCode | Should -Be 429
        $null = Set-NcpKmsEmulatorClock $emulator -Advance ([TimeSpan]::FromSeconds(1))
        (Invoke-KeyList).StatusCode | Should -Be 200
    }

    It 'lets exactly the allowed number of 10 concurrent requests through' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 4
        Format-StatusCount (Invoke-ConcurrentKms $emulator -RequestUri "/kms/v1/keys/$($keys[0].KeyTag)" -Count 10) | Should -Be '200 x4, 429 x6'
    }
}

Describe 'Latency' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'holds back a matching answer by the latency plus at most the jitter' {
        Set-NcpKmsEmulatorFault $emulator -Latency ([TimeSpan]::FromMilliseconds(150)) -Jitter ([TimeSpan]::FromMilliseconds(50))
        $elapsed = Measure-Command { (Invoke-KeyList).StatusCode | Should -Be 200 }
        $elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 150
        $entry = Get-LastRequest
        $entry.Fault | Should -Be 'Delayed'
        $entry.Delay.TotalMilliseconds | Should -BeGreaterOrEqual 150
        $entry.Delay.TotalMilliseconds | Should -BeLessOrEqual 200
        $entry.Applied | Should -BeTrue
    }

    It 'leaves requests that do not match undelayed' {
        Set-NcpKmsEmulatorFault $emulator -Latency ([TimeSpan]::FromSeconds(5)) -Path '*/encrypt'
        (Invoke-KeyList).StatusCode | Should -Be 200
        (Get-LastRequest).Delay | Should -Be ([TimeSpan]::Zero)
        (Get-LastRequest).Fault | Should -BeNullOrEmpty
    }

    It 'combines with another fault: the request is delayed, then failed' {
        Set-NcpKmsEmulatorFault $emulator -Latency ([TimeSpan]::FromMilliseconds(20))
        Set-NcpKmsEmulatorFault $emulator -FailCount 1
        (Invoke-KeyList).StatusCode | Should -Be 503
        (Get-LastRequest).Fault | Should -Be 'Failed'
        (Get-LastRequest).Delay | Should -BeGreaterOrEqual ([TimeSpan]::FromMilliseconds(20))
    }

    It 'does not keep Stop-NcpKmsEmulator waiting for a held-back answer' {
        $slow = Start-NcpKmsEmulator
        Set-NcpKmsEmulatorFault $slow -Latency ([TimeSpan]::FromSeconds(30))
        $client = [System.Net.Http.HttpClient]::new()
        try {
            $pending = $client.GetAsync($slow.Endpoint + '/kms/v1/keys')
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((Get-RequestCount $slow) -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
            (Measure-Command { Stop-NcpKmsEmulator $slow }).TotalSeconds | Should -BeLessThan 1
            { $pending.GetAwaiter().GetResult() } | Should -Throw
        } finally {
            $client.Dispose()
        }
    }
}

Describe 'Drop the connection' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'closes the connection without an answer before the operation, so the key is not rotated' {
        $before = Get-CurrentVersion $key
        Set-NcpKmsEmulatorFault $emulator -DropCount 1 -Path '*/rotate'
        { Invoke-Rotate $key } | Should -Throw -ExceptionType ([System.Net.Http.HttpRequestException])
        $entry = Get-LastRequest
        $entry.Fault | Should -Be 'Dropped-before'
        $entry.StatusCode | Should -Be 0
        $entry.Applied | Should -BeFalse
        Get-CurrentVersion $key | Should -Be $before
    }

    It 'rotates the key, then closes the connection without an answer, when dropping after' {
        $before = Get-CurrentVersion $key
        Set-NcpKmsEmulatorFault $emulator -DropCount 1 -DropWhen After -Method POST
        { Invoke-Rotate $key } | Should -Throw -ExceptionType ([System.Net.Http.HttpRequestException])
        $entry = Get-LastRequest
        $entry.Fault | Should -Be 'Dropped-after'
        $entry.StatusCode | Should -Be 0
        $entry.Applied | Should -BeTrue
        $entry.Detail | Should -Match 'applied'
        Get-CurrentVersion $key | Should -Be ($before + 1)
    }

    It 'drops exactly the next 2 matching requests' {
        Set-NcpKmsEmulatorFault $emulator -DropCount 2 -Method GET
        Format-StatusCount (Invoke-ConcurrentKms $emulator -RequestUri '/kms/v1/keys' -Count 5) | Should -Be '0 x2, 200 x3'
    }
}

Describe 'HTML error page' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'answers the next request with a text/html 502 Bad Gateway page with tags, then JSON again' {
        Set-NcpKmsEmulatorFault $emulator -HtmlCount 1
        $r = Invoke-KeyList
        $r.StatusCode | Should -Be 502
        Get-Header $r 'Content-Type' | Should -Match '^text/html;\s?charset=UTF-8$'
        $r.Content | Should -Match '^<!DOCTYPE html>'
        $r.Content | Should -Match '<h1>502 Bad Gateway</h1>'
        (Get-LastRequest).Fault | Should -Be 'Html'
        (Invoke-KeyList).Json.code | Should -Be 'SUCCESS'
    }

    It 'uses the -StatusCode given' {
        Set-NcpKmsEmulatorFault $emulator -HtmlCount 1 -StatusCode 503
        $r = Invoke-KeyList
        $r.StatusCode | Should -Be 503
        $r.Content | Should -Match '<title>503 Service Unavailable</title>'
    }
}

Describe 'Faults in effect: Get- and Clear-NcpKmsEmulatorFault' {
    AfterEach { Clear-NcpKmsEmulatorFault $emulator }

    It 'lists each kind set, independently of the others, with its settings' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 5
        Set-NcpKmsEmulatorFault $emulator -FailCount 3 -StatusCode 504 -Method post -Path '*/rotate'
        Set-NcpKmsEmulatorFault $emulator -DropCount 1 -DropWhen After
        $faults = Get-NcpKmsEmulatorFault $emulator
        $faults.Kind | Should -Be @('Throttle', 'Fail', 'Drop')
        $faults[0].RequestsPerSecond | Should -Be 5
        $faults[0].RetryAfter | Should -Be 1
        $faults[1].Remaining | Should -Be 3
        $faults[1].StatusCode | Should -Be 504
        $faults[1].Method | Should -BeExactly 'POST'
        $faults[1].Path | Should -Be '*/rotate'
        $faults[2].DropWhen | Should -Be 'After'
        (Get-NcpKmsEmulatorFault $emulator -Kind Drop).Kind | Should -Be 'Drop'
    }

    It 'counts down, and a counted fault disappears once used up' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 2
        $null = Invoke-KeyList
        (Get-NcpKmsEmulatorFault $emulator).Remaining | Should -Be 1
        $null = Invoke-KeyList
        Get-NcpKmsEmulatorFault $emulator | Should -BeNullOrEmpty
    }

    It 'replaces a kind set again, with its count' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 5 -StatusCode 500
        Set-NcpKmsEmulatorFault $emulator -FailCount 1
        $fault = Get-NcpKmsEmulatorFault $emulator
        $fault.Remaining | Should -Be 1
        $fault.StatusCode | Should -Be 503
    }

    It 'writes the fault set with -PassThru, and nothing without it' {
        Set-NcpKmsEmulatorFault $emulator -HtmlCount 2 | Should -BeNullOrEmpty
        $fault = Set-NcpKmsEmulatorFault $emulator -Latency '0:0:0.1' -Path '*/encrypt' -PassThru
        $fault | Should -BeOfType ([NcpKms.Emulator.EmulatorFault])
        $fault.Latency | Should -Be ([TimeSpan]::FromMilliseconds(100))
        $fault.Description | Should -Match 'encrypt'
    }

    It 'clears only the kinds named, or every kind, and -PassThru writes what was cleared' {
        Set-NcpKmsEmulatorFault $emulator -RequestsPerSecond 5
        Set-NcpKmsEmulatorFault $emulator -FailCount 1
        $cleared = Clear-NcpKmsEmulatorFault $emulator -Kind Throttle -PassThru
        $cleared.Kind | Should -Be 'Throttle'
        (Get-NcpKmsEmulatorFault $emulator).Kind | Should -Be 'Fail'
        Clear-NcpKmsEmulatorFault $emulator | Should -BeNullOrEmpty
        Get-NcpKmsEmulatorFault $emulator | Should -BeNullOrEmpty
        (Invoke-KeyList).StatusCode | Should -Be 200
    }

    It 'shows Kind, Remaining and Description in its table view' {
        Set-NcpKmsEmulatorFault $emulator -FailCount 4 -Path '*/rotate'
        $text = Get-NcpKmsEmulatorFault $emulator | Out-String -Width 200
        $text | Should -Match 'Kind\s+Remaining\s+Description'
        $text | Should -Match 'Fail\s+4 Answer requests to \*/rotate: 503'
    }

    It 'reads and clears faults on a stopped emulator, but refuses to set one' {
        $stopped = Start-NcpKmsEmulator
        Set-NcpKmsEmulatorFault $stopped -FailCount 1
        Stop-NcpKmsEmulator $stopped
        (Get-NcpKmsEmulatorFault $stopped).Kind | Should -Be 'Fail'
        { Clear-NcpKmsEmulatorFault $stopped } | Should -Not -Throw
        { Set-NcpKmsEmulatorFault $stopped -FailCount 1 } | Should -Throw -ErrorId 'EmulatorStopped,NcpKms.Emulator.Commands.SetNcpKmsEmulatorFaultCommand'
    }

    It 'rejects <Case> naming the parameter' -TestCases @(
        @{ Case = 'a status below 400'; Arguments = @{ FailCount = 1; StatusCode = 399 }; Message = '*StatusCode*' }
        @{ Case = 'a status above 599'; Arguments = @{ HtmlCount = 1; StatusCode = 600 }; Message = '*StatusCode*' }
        @{ Case = 'a count of 0'; Arguments = @{ DropCount = 0 }; Message = '*DropCount*' }
        @{ Case = 'a rate of 0'; Arguments = @{ RequestsPerSecond = 0 }; Message = '*RequestsPerSecond*' }
        @{ Case = 'a path not starting with / or a wildcard'; Arguments = @{ FailCount = 1; Path = 'rotate' }; Message = '*Path*' }
        @{ Case = 'a negative latency'; Arguments = @{ Latency = [TimeSpan]::FromSeconds(-1) }; Message = '*Latency*' }
        @{ Case = 'a zero latency without jitter'; Arguments = @{ Latency = [TimeSpan]::Zero }; Message = '*Latency*' }
        @{ Case = 'an unknown method'; Arguments = @{ FailCount = 1; Method = 'PATCHY' }; Message = '*Method*' }
        @{ Case = 'a throttle limited to a path'; Arguments = @{ RequestsPerSecond = 1; Path = '*' }; Message = '*parameter set*' }
    ) {
        { Set-NcpKmsEmulatorFault $emulator @Arguments } | Should -Throw -ExpectedMessage $Message
    }
}
