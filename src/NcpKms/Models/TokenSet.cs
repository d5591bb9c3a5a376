using System;
using System.Security;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>
/// Tokens issued for one key by Create Token Set, Renew Token Set or Create Access Token. The tokens are
/// bearer secrets: they are held only as SecureString and nothing here renders them.
/// </summary>
public sealed class TokenSet
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The access token, for the crypto cmdlets' -Token or NCLOUD_KMS_TOKEN.</summary>
    public SecureString AccessToken { get; private init; } = new();

    /// <summary>The refresh token, for Update-NcpKmsToken and New-NcpKmsAccessToken; null when only an access token was issued.</summary>
    public SecureString? RefreshToken { get; private init; }

    public TokenLifetime AccessTokenLifetime { get; private init; } = TokenLifetime.AccessTokenDefault;

    /// <summary>Null when only an access token was issued.</summary>
    public TokenLifetime? RefreshTokenLifetime { get; private init; }

    public override string ToString() => RefreshToken is null ? $"Access token for key {KeyTag}" : $"Token set for key {KeyTag}";

    /// <summary>Reads accessToken and, when a refresh lifetime was asked, refreshToken.</summary>
    internal static TokenSet FromJson(string keyTag, JsonElement json, TokenLifetime accessLifetime, TokenLifetime? refreshLifetime) => new()
    {
        KeyTag = keyTag,
        AccessToken = Secure(JsonFields.RequiredString(json, "accessToken")),
        RefreshToken = refreshLifetime is null ? null : Secure(JsonFields.RequiredString(json, "refreshToken")),
        AccessTokenLifetime = accessLifetime,
        RefreshTokenLifetime = refreshLifetime,
    };

    /// <summary>
    /// The JSON reader hands out a managed string; it is copied into a read-only SecureString at once and
    /// goes nowhere else, so it is only ever in memory until the collector reclaims it.
    /// </summary>
    private static SecureString Secure(string token)
    {
        if (token.Length == 0) throw new FormatException("The answer holds an empty token.");
        var secure = new SecureString();
        foreach (char c in token) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
