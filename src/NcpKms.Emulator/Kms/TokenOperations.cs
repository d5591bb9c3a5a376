using System;
using System.Text.Json;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>The token generator and the tokens it issues (reference §8.5, §3.6).</summary>
internal sealed class TokenOperations
{
    private const int MaxTokenHours = 17520;
    private const int DefaultAccessHours = 72;
    private const int DefaultRefreshHours = 2160;
    private const string Unlimited = "UL";
    private const long HourMilliseconds = 60 * 60 * 1000;

    private readonly KeyAccess _keys;
    private readonly TokenCodec _tokens;

    public TokenOperations(KeyAccess keys, TokenCodec tokens)
    {
        _keys = keys;
        _tokens = tokens;
    }

    public void Map(KmsRouter router)
    {
        router.Map("POST", "/kms/v1/keys/{keyTag}/token-generator", "CreateTokenGenerator", CreateGenerator);
        router.Map("GET", "/kms/v1/keys/{keyTag}/token-generator", "GetTokenGenerator", GetGenerator);
        router.Map("PUT", "/kms/v1/keys/{keyTag}/token-generator", "UpdateTokenGenerator", ReplaceGenerator);
        router.Map("DELETE", "/kms/v1/keys/{keyTag}/token-generator", "DeleteTokenGenerator", DeleteGenerator);
        router.Map("POST", "/kms/v1/keys/{keyTag}/token-set", "CreateTokenSet", IssueTokenSet);
        // Reference §8.5.6: renewing is issuing a set with a refresh token; older sets stay valid.
        router.Map("PUT", "/kms/v1/keys/{keyTag}/token-set", "RenewTokenSet", AuthModes.RefreshToken, IssueTokenSet);
        router.Map("POST", "/kms/v1/keys/{keyTag}/access-token", "CreateAccessToken", AuthModes.RefreshToken, IssueAccessToken);
    }

    /// <summary>
    /// Reference §8.5.1 (third-party detail): <c>data</c> is null. One generator per key; inferred: a second
    /// while one is ACTIVE is refused as an invalid request (400), and a deleted (INACTIVE) one may be succeeded
    /// by a new one.
    /// </summary>
    private void CreateGenerator(KmsCall call)
    {
        _keys.Change(call, key => key.TokenGenerator is { IsActive: true }
            ? throw KmsFault.Invalid("The key already has a token generator; replace it with PUT or delete it first")
            : key with { TokenGenerator = NewGenerator(call.Now) });
        call.SucceedWithoutData();
    }

    /// <summary>Reference §8.5.2. A deleted generator still shows, as INACTIVE with its disabledDate; inferred: none yet is 404.</summary>
    private void GetGenerator(KmsCall call)
    {
        TokenGenerator generator = _keys.Find(call).TokenGenerator ?? throw KmsFault.NotFound("The key has no token generator");
        call.Succeed(("tokenGeneratorId", generator.Id), ("status", generator.Status), ("enabledDate", generator.EnabledDate),
            ("disabledDate", generator.DisabledDate), ("issuedTokenCount", generator.IssuedTokenCount));
    }

    /// <summary>Reference §8.5.3: a new generator id, so every token issued before is invalid.</summary>
    private void ReplaceGenerator(KmsCall call)
    {
        ChangeActiveGenerator(call, _ => NewGenerator(call.Now));
        call.SucceedWithoutData();
    }

    /// <summary>Reference §8.5.4: token authentication stops working for the key and every issued token is invalid.</summary>
    private void DeleteGenerator(KmsCall call)
    {
        ChangeActiveGenerator(call, generator => generator with { Status = KeyRules.GeneratorInactive, DisabledDate = call.Now });
        call.SucceedWithoutData();
    }

    /// <summary>Create Token Set (account) and Renew Token Set (refresh token): a refresh token and an access token.</summary>
    private void IssueTokenSet(KmsCall call)
    {
        (long? accessHours, long? refreshHours) = JsonBody.Read(call.Request.Body,
            body => (ReadHours(body, "accessTokenHours", DefaultAccessHours), ReadHours(body, "refreshTokenHours", DefaultRefreshHours)), optional: true);
        TokenGenerator generator = CountIssued(call, 2);
        call.Succeed(("refreshToken", Issue(call, generator, TokenKind.Refresh, refreshHours)), ("accessToken", Issue(call, generator, TokenKind.Access, accessHours)));
    }

    private void IssueAccessToken(KmsCall call)
    {
        long? hours = JsonBody.Read(call.Request.Body, body => ReadHours(body, "accessTokenHours", DefaultAccessHours), optional: true);
        TokenGenerator generator = CountIssued(call, 1);
        call.Succeed(("accessToken", Issue(call, generator, TokenKind.Access, hours)));
    }

    /// <summary>Inferred: issuedTokenCount counts tokens, so a set counts two.</summary>
    private TokenGenerator CountIssued(KmsCall call, int tokens) =>
        ChangeActiveGenerator(call, generator => generator with { IssuedTokenCount = generator.IssuedTokenCount + tokens });

    /// <summary>Changes the key's ACTIVE generator; inferred: without one (none yet, or deleted) the call is 404 NOT_FOUND.</summary>
    private TokenGenerator ChangeActiveGenerator(KmsCall call, Func<TokenGenerator, TokenGenerator> change) =>
        _keys.Change(call, key => key.TokenGenerator is { IsActive: true } generator
            ? key with { TokenGenerator = change(generator) }
            : throw KmsFault.NotFound("The key has no active token generator; create one first")).TokenGenerator!;

    private string Issue(KmsCall call, TokenGenerator generator, TokenKind kind, long? hours) =>
        _tokens.Issue(new TokenClaims(call.KeyTag, kind, generator.Id, call.Now, call.Now + (hours * HourMilliseconds)));

    private static TokenGenerator NewGenerator(long now) => new(Guid.NewGuid().ToString("N"), KeyRules.GeneratorActive, now, null, 0);

    /// <summary>Reference §3.6: whole hours 1-17520, or the string "UL" for unlimited (returned as null).</summary>
    private static long? ReadHours(JsonBody body, string name, int fallback) => body.Find(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.String } value when value.GetString() == Unlimited => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int hours) && hours is >= 1 and <= MaxTokenHours => hours,
        _ => throw KmsFault.Invalid(name + ": an integer 1-17520 or \"UL\""),
    };
}
