using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NcpKms.Emulator.Auth;

/// <summary>The two token kinds of reference §3.6.</summary>
internal enum TokenKind
{
    Access,
    Refresh,
}

/// <summary>What a token says: the key it is for, its kind, the generator that issued it and when it expires (null: "UL", unlimited).</summary>
internal sealed record TokenClaims(string KeyTag, TokenKind Kind, string GeneratorId, long IssuedAt, long? ExpiresAt);

/// <summary>
/// Issues and reads the per-key tokens of reference §3.6. NCP calls them "self-defined JWT" without saying
/// more, so these are JWT-shaped (RFC 7519): Base64url header.payload.signature, HS256 with a key that never
/// leaves this emulator instance (and its state file). Validity against the key's current generator is decided
/// by the caller.
/// </summary>
internal sealed class TokenCodec
{
    private const string AccessKind = "ACCESS";
    private const string RefreshKind = "REFRESH";
    private static readonly string Header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);

    public const int SigningKeyBytes = 32;

    private readonly byte[] _signingKey;

    /// <summary>A state file keeps the signing key, so tokens issued before a restart stay valid after it.</summary>
    public TokenCodec(byte[] signingKey) => _signingKey = signingKey;

    public string Issue(TokenClaims claims)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("keyTag", claims.KeyTag);
            writer.WriteString("tokenType", claims.Kind == TokenKind.Access ? AccessKind : RefreshKind);
            writer.WriteString("generatorId", claims.GeneratorId);
            // NumericDate seconds (RFC 7519 §2); an unlimited ("UL") token has no exp.
            writer.WriteNumber("iat", claims.IssuedAt / 1000);
            if (claims.ExpiresAt is long expires)
            {
                writer.WriteNumber("exp", expires / 1000);
            }

            // Two tokens issued in the same second must still differ.
            writer.WriteString("jti", Guid.NewGuid().ToString("N"));
            writer.WriteEndObject();
        }

        string signingInput = Header + "." + Base64Url(payload.WrittenSpan);
        return signingInput + "." + Base64Url(Sign(signingInput));
    }

    /// <summary>The claims of a token this emulator issued, or null when it is malformed or its signature does not match.</summary>
    public TokenClaims? Read(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[2], out byte[] signature)
            || !CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1]))
            || !TryDecode(parts[1], out byte[] payload))
        {
            return null;
        }

        // The signature matched, so this emulator wrote the payload: it has every claim in the right type.
        using JsonDocument document = JsonDocument.Parse(payload);
        JsonElement root = document.RootElement;
        TokenKind kind = root.GetProperty("tokenType").GetString() == AccessKind ? TokenKind.Access : TokenKind.Refresh;
        long? expires = root.TryGetProperty("exp", out JsonElement exp) ? exp.GetInt64() * 1000 : null;
        return new TokenClaims(root.GetProperty("keyTag").GetString()!, kind, root.GetProperty("generatorId").GetString()!,
            root.GetProperty("iat").GetInt64() * 1000, expires);
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(signingInput));

    private static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string base64Url, out byte[] bytes)
    {
        string padded = base64Url.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out int written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
