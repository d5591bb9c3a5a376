using System;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace NcpKms.Core;

/// <summary>An access key with its secret. The secret is kept only as key bytes for HMAC and never rendered.</summary>
public sealed class KmsCredential : IKmsAuthentication
{
    private readonly byte[] _secretKey;

    public KmsCredential(string accessKey, ReadOnlySpan<char> secretKey, string source, string? profileName = null)
    {
        if (string.IsNullOrWhiteSpace(accessKey)) throw new ArgumentException("The access key is empty.", nameof(accessKey));
        if (secretKey.IsWhiteSpace()) throw new ArgumentException("The secret key is empty.", nameof(secretKey));
        AccessKey = accessKey.Trim();
        ReadOnlySpan<char> trimmed = secretKey.Trim();
        _secretKey = new byte[Encoding.UTF8.GetByteCount(trimmed)];
        Encoding.UTF8.GetBytes(trimmed, _secretKey);
        Source = source;
        ProfileName = profileName;
    }

    public string AccessKey { get; }

    /// <summary>Where the pair came from, for diagnostics ("Environment: NCLOUD_ACCESS_KEY_ID, ...").</summary>
    public string Source { get; }

    /// <summary>The ncloud configure profile the pair was read from; null for any other source.</summary>
    public string? ProfileName { get; }

    /// <summary>The access key with all but its last four characters hidden.</summary>
    public string MaskedAccessKey => Mask(AccessKey);

    public string Description => $"access key {MaskedAccessKey} ({Source})";

    public string Sign(string method, string requestUri, string timestamp) =>
        SignatureV2.Sign(_secretKey, method, requestUri, timestamp, AccessKey);

    /// <summary>Signature v2 headers with a fresh timestamp: every request, and every retry, is signed anew.</summary>
    public void Authenticate(HttpRequestHeaders headers, string method, string requestUri, DateTimeOffset now)
    {
        string timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers.TryAddWithoutValidation("x-ncp-apigw-timestamp", timestamp);
        headers.TryAddWithoutValidation("x-ncp-iam-access-key", AccessKey);
        headers.TryAddWithoutValidation("x-ncp-apigw-signature-v2", Sign(method, requestUri, timestamp));
    }

    public override string ToString() => $"{MaskedAccessKey} ({Source})";

    internal static string Mask(string value)
    {
        const int visible = 4;
        return value.Length <= visible * 2
            ? new string('*', value.Length)
            : new string('*', value.Length - visible) + value[^visible..];
    }
}
