# The other baseline of the benchmark: the function NCP users paste into their scripts to call KMS without a
# module. It signs in script code (a new HMAC object per call) and sends with Invoke-RestMethod, as the
# common examples do. It is kept as such scripts are written, not tuned, because that is what NcpKms is
# measured against. As in those scripts, the connection is in script variables, set by the caller:
#   $NcpEndpoint (scheme, host and port), $NcpAccessKey, $NcpSecretKey

function Invoke-NcpApi {
    param([string] $Method, [string] $Path, [hashtable] $Body)
    $timestamp = [string][DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $stringToSign = "$Method $Path`n$timestamp`n$NcpAccessKey"
    $hmac = New-Object System.Security.Cryptography.HMACSHA256
    $hmac.Key = [System.Text.Encoding]::UTF8.GetBytes($NcpSecretKey)
    $signature = [Convert]::ToBase64String($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($stringToSign)))
    $headers = @{
        'x-ncp-apigw-timestamp'    = $timestamp
        'x-ncp-iam-access-key'     = $NcpAccessKey
        'x-ncp-apigw-signature-v2' = $signature
    }
    $request = @{ Method = $Method; Uri = "$NcpEndpoint$Path"; Headers = $headers; ContentType = 'application/json' }
    if ($Body) { $request.Body = $Body | ConvertTo-Json -Compress }
    $response = Invoke-RestMethod @request
    if ($response.code -ne 'SUCCESS') { throw "$Method $Path failed: $($response | ConvertTo-Json -Compress)" }
    $response.data
}

function Invoke-NcpKeyRotation([string] $KeyTag) {
    Invoke-NcpApi -Method POST -Path "/kms/v1/keys/$KeyTag/rotate"
}

function Protect-NcpValue([string] $KeyTag, [string] $Value) {
    $plaintext = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Value))
    (Invoke-NcpApi -Method POST -Path "/kms/v1/keys/$KeyTag/encrypt" -Body @{ plaintext = $plaintext }).ciphertext
}
