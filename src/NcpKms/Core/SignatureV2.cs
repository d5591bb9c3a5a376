using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace NcpKms.Core;

/// <summary>NCP API Gateway signature v2: Base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESSKEY")).</summary>
public static class SignatureV2
{
    private const int StackLimit = 512;

    /// <param name="secretKey">UTF-8 bytes of the secret key.</param>
    /// <param name="method">Upper-case HTTP method.</param>
    /// <param name="requestUri">Path and query exactly as sent, including /kms/v1.</param>
    /// <param name="timestamp">The x-ncp-apigw-timestamp header value.</param>
    /// <param name="accessKey">The x-ncp-iam-access-key header value.</param>
    public static string Sign(ReadOnlySpan<byte> secretKey, string method, string requestUri, string timestamp, string accessKey)
    {
        int length = method.Length + 1 + requestUri.Length + 1 + timestamp.Length + 1 + accessKey.Length;
        char[]? rentedChars = length > StackLimit ? ArrayPool<char>.Shared.Rent(length) : null;
        Span<char> text = rentedChars ?? stackalloc char[StackLimit];
        try
        {
            int written = Compose(text, method, requestUri, timestamp, accessKey);
            return HashToBase64(secretKey, text[..written]);
        }
        finally
        {
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    private static int Compose(Span<char> text, string method, string requestUri, string timestamp, string accessKey)
    {
        int position = 0;
        Append(text, ref position, method);
        text[position++] = ' ';
        Append(text, ref position, requestUri);
        text[position++] = '\n';
        Append(text, ref position, timestamp);
        text[position++] = '\n';
        Append(text, ref position, accessKey);
        return position;
    }

    private static void Append(Span<char> text, ref int position, string value)
    {
        value.AsSpan().CopyTo(text[position..]);
        position += value.Length;
    }

    private static string HashToBase64(ReadOnlySpan<byte> secretKey, ReadOnlySpan<char> message)
    {
        int byteCount = Encoding.UTF8.GetByteCount(message);
        byte[]? rented = byteCount > StackLimit ? ArrayPool<byte>.Shared.Rent(byteCount) : null;
        Span<byte> bytes = rented ?? stackalloc byte[StackLimit];
        try
        {
            int encoded = Encoding.UTF8.GetBytes(message, bytes);
            Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(secretKey, bytes[..encoded], digest);
            return Convert.ToBase64String(digest);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
