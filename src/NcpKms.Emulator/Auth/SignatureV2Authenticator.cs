using System;
using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace NcpKms.Emulator.Auth;

/// <summary>The outcome of checking one request's account-authentication headers.</summary>
internal readonly record struct AuthResult(bool Succeeded, string? Failure)
{
    public static AuthResult Success { get; } = new(true, null);

    public static AuthResult Fail(string why) => new(false, why);
}

/// <summary>
/// Verifies NCP API Gateway signature v2 (reference §3.1–3.3): Base64(HMAC-SHA256(secret, METHOD + " " +
/// REQUEST_URI + "\n" + TIMESTAMP + "\n" + ACCESS_KEY)), where REQUEST_URI is the path and query exactly
/// as received, and the timestamp must be within 5 minutes of the emulator clock.
/// </summary>
internal sealed class SignatureV2Authenticator
{
    public const string TimestampHeader = "x-ncp-apigw-timestamp";
    public const string AccessKeyHeader = "x-ncp-iam-access-key";
    public const string SignatureHeader = "x-ncp-apigw-signature-v2";

    /// <summary>Reference §3.3: more than 5 minutes apart, in either direction, is refused.</summary>
    private const long WindowMilliseconds = 5 * 60 * 1000;

    private const int DigestBytes = 32;
    private const int Base64DigestChars = 44;

    private readonly CredentialStore _credentials;

    public SignatureV2Authenticator(CredentialStore credentials) => _credentials = credentials;

    public AuthResult Authenticate(string method, string requestUri, string? timestamp, string? accessKey, string? signature, long nowMilliseconds)
    {
        if (timestamp is null)
        {
            return AuthResult.Fail("Missing header " + TimestampHeader);
        }

        if (accessKey is null)
        {
            return AuthResult.Fail("Missing header " + AccessKeyHeader);
        }

        if (signature is null)
        {
            return AuthResult.Fail("Missing header " + SignatureHeader);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long sent))
        {
            return AuthResult.Fail("Timestamp is not a number of milliseconds since the Unix epoch");
        }

        if (Math.Abs(nowMilliseconds - sent) > WindowMilliseconds)
        {
            return AuthResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"Timestamp {sent} is more than 5 minutes from the server time {nowMilliseconds}"));
        }

        if (!_credentials.TryGetSecret(accessKey, out byte[] secret))
        {
            return AuthResult.Fail("Unknown access key");
        }

        return SignatureMatches(secret, method, requestUri, timestamp, accessKey, signature)
            ? AuthResult.Success
            : AuthResult.Fail("Signature does not match");
    }

    private static bool SignatureMatches(byte[] secret, string method, string requestUri, string timestamp, string accessKey, string signature)
    {
        int length = Encoding.UTF8.GetByteCount(method) + 1 + Encoding.UTF8.GetByteCount(requestUri) + 1
            + Encoding.UTF8.GetByteCount(timestamp) + 1 + Encoding.UTF8.GetByteCount(accessKey);
        byte[] message = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = WriteStringToSign(message, method, requestUri, timestamp, accessKey);
            Span<byte> digest = stackalloc byte[DigestBytes];
            HMACSHA256.HashData(secret, message.AsSpan(0, written), digest);
            Span<char> expected = stackalloc char[Base64DigestChars];
            Convert.TryToBase64Chars(digest, expected, out int chars);
            // Constant time over the Base64 text: timing must not reveal how much of a guess was right.
            return CryptographicOperations.FixedTimeEquals(
                MemoryMarshal.AsBytes(expected[..chars]), MemoryMarshal.AsBytes(signature.AsSpan()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    private static int WriteStringToSign(Span<byte> destination, string method, string requestUri, string timestamp, string accessKey)
    {
        int at = Encoding.UTF8.GetBytes(method, destination);
        destination[at++] = (byte)' ';
        at += Encoding.UTF8.GetBytes(requestUri, destination[at..]);
        destination[at++] = (byte)'\n';
        at += Encoding.UTF8.GetBytes(timestamp, destination[at..]);
        destination[at++] = (byte)'\n';
        at += Encoding.UTF8.GetBytes(accessKey, destination[at..]);
        return at;
    }
}
