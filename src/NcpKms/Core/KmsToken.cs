using System;
using System.Net.Http.Headers;

namespace NcpKms.Core;

/// <summary>Which of the two KMS tokens a value is (ncp-kms-api.md §3.6).</summary>
public enum KmsTokenKind
{
    /// <summary>Authorises the crypto operations.</summary>
    Access,

    /// <summary>Only mints new access tokens and renews token sets.</summary>
    Refresh,
}

/// <summary>
/// Token authentication: the token goes in x-ncp-ocapi-token and no signature headers are sent. The token
/// is a bearer secret, so nothing here renders it.
/// </summary>
public sealed class KmsToken : IKmsAuthentication
{
    public const string Header = "x-ncp-ocapi-token";
    public const string EnvironmentVariable = "NCLOUD_KMS_TOKEN";

    private readonly string _token;

    public KmsToken(ReadOnlySpan<char> token, KmsTokenKind kind, string source)
    {
        ReadOnlySpan<char> trimmed = token.Trim();
        if (trimmed.IsEmpty) throw new ArgumentException("The token is empty.", nameof(token));
        _token = new string(trimmed);
        Kind = kind;
        Source = source;
    }

    public KmsTokenKind Kind { get; }

    /// <summary>Where the token came from ("-Token", "NCLOUD_KMS_TOKEN").</summary>
    public string Source { get; }

    public string Description => $"{Kind.ToString().ToLowerInvariant()} token ({Source})";

    public void Authenticate(HttpRequestHeaders headers, string method, string requestUri, DateTimeOffset now) =>
        headers.TryAddWithoutValidation(Header, _token);

    public override string ToString() => Description;
}
