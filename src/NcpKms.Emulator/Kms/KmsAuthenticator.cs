using System;
using System.Globalization;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// Decides who a call is (reference §3): an account signature, or a per-key token in x-ncp-ocapi-token, then
/// whether the API accepts that kind of credential (§3.7) and, for tokens, the key's IP ACL (§8.6). A refusal
/// is thrown as a gateway error. Inferred: the reference gives no error body for token failures; they get the
/// gateway's 401 errorCode 200 "Authentication Failed", like a bad signature, and an ACL refusal the
/// gateway's 403 errorCode 230.
/// </summary>
internal sealed class KmsAuthenticator
{
    public const string TokenHeader = "x-ncp-ocapi-token";

    /// <summary>The activity log's <c>data.api.type</c> values.</summary>
    public const string AccountType = "ACCOUNT";
    public const string TokenType = "TOKEN";

    private readonly SignatureV2Authenticator _signatures;
    private readonly TokenCodec _tokens;
    private readonly KmsStore _store;

    public KmsAuthenticator(SignatureV2Authenticator signatures, TokenCodec tokens, KmsStore store)
    {
        _signatures = signatures;
        _tokens = tokens;
        _store = store;
    }

    /// <summary>
    /// Authenticates the call for the API routing found. Inferred: a request that carries x-ncp-ocapi-token is
    /// a token request whatever else it carries (the reference says token requests have no signature headers).
    /// A token sent to a path with no API is left to routing, which answers 404 or 405.
    /// </summary>
    public void Authenticate(KmsCall call, RouteMatch match)
    {
        string? token = call.Request.GetHeader(TokenHeader);
        if (token is null)
        {
            AuthenticateAccount(call, match.Api);
        }
        else if (match.Api is KmsApi api)
        {
            AuthenticateToken(call, api, token);
        }
    }

    private void AuthenticateAccount(KmsCall call, KmsApi? api)
    {
        HttpRequest request = call.Request;
        call.AccessKey = request.GetHeader(SignatureV2Authenticator.AccessKeyHeader);
        AuthResult result = _signatures.Authenticate(
            request.Method,
            request.Target,
            request.GetHeader(SignatureV2Authenticator.TimestampHeader),
            call.AccessKey,
            request.GetHeader(SignatureV2Authenticator.SignatureHeader),
            call.Now);
        if (!result.Succeeded)
        {
            throw Refused(result.Failure ?? "Authentication failed");
        }

        if (api is not null && !api.Auth.HasFlag(AuthModes.Account))
        {
            throw Refused(api.Action + " accepts only a refresh token in " + TokenHeader + ", not an account signature");
        }

        call.Authenticated = true;
    }

    private void AuthenticateToken(KmsCall call, KmsApi api, string token)
    {
        TokenKind kind = api.Auth.HasFlag(AuthModes.AccessToken) ? TokenKind.Access
            : api.Auth.HasFlag(AuthModes.RefreshToken) ? TokenKind.Refresh
            : throw Refused(api.Action + " accepts only account authentication (signature v2), not a token");
        TokenClaims claims = _tokens.Read(token) ?? throw Refused("The token is malformed or was not issued by this KMS");
        KmsKey key = CheckClaims(claims, call.KeyTag, kind, call.Now);
        call.AuthType = TokenType;
        call.Authenticated = true;
        string ip = call.ClientIp;
        if (key.IsAclEnabled && !key.AllowedIps.Contains(ip))
        {
            throw KmsFault.Gateway(GatewayErrors.Forbidden, "The key's IP ACL does not allow token requests from " + ip);
        }
    }

    /// <summary>The key the token is valid for, after checking every claim against the path and the key's current generator.</summary>
    private KmsKey CheckClaims(TokenClaims claims, string keyTag, TokenKind kind, long now)
    {
        if (claims.KeyTag != keyTag)
        {
            throw Refused("The token was issued for another key");
        }

        if (claims.Kind != kind)
        {
            throw Refused(kind == TokenKind.Access
                ? "A refresh token cannot authorise this API; send an access token"
                : "An access token cannot authorise this API; send a refresh token");
        }

        if (claims.ExpiresAt is long expires && expires <= now)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture, $"The token expired at {expires} (server time {now})"));
        }

        // Reference §3.6: replacing or deleting the generator discards every token it issued.
        if (!_store.TryGet(keyTag, out KmsKey key) || key.TokenGenerator is not { IsActive: true } generator || generator.Id != claims.GeneratorId)
        {
            throw Refused("The token generator that issued this token was replaced or deleted");
        }

        return key;
    }

    private static KmsFault Refused(string details) => KmsFault.Gateway(GatewayErrors.AuthenticationFailed, details);
}
