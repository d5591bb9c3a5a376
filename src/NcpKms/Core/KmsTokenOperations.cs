using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>Token generator and token operations of KMS API 2.0 (ncp-kms-api.md §3.6, §8.5), as calls on a connection.</summary>
public static class KmsTokenOperations
{
    private const string Generator = "token-generator";
    private const string TokenSet = "token-set";

    /// <summary>Create Token Generator; the answer's data is null (§11 #13: any data is accepted and ignored).</summary>
    public static Task<KmsResult<bool>> CreateTokenGeneratorAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Create Token Generator", keyTag, Generator), Accepted, cancellationToken);

    /// <summary>Get Token Generator; an answer without data means the key has none: NcpKms.TokenGeneratorNotFound.</summary>
    public static Task<KmsResult<NcpKms.TokenGenerator>> GetTokenGeneratorAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        NeedingGenerator(connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Token Generator", keyTag, Generator),
            data => data.ValueKind == JsonValueKind.Object ? NcpKms.TokenGenerator.FromJson(keyTag, data) : throw NoGenerator(keyTag),
            cancellationToken));

    /// <summary>Update Token Generator: replaces it, and every token it issued stops working.</summary>
    public static Task<KmsResult<bool>> ReplaceTokenGeneratorAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        NeedingGenerator(connection.SendAsync(KmsRequest.ForKey(HttpMethod.Put, "Update Token Generator", keyTag, Generator), Accepted, cancellationToken));

    /// <summary>Delete Token Generator: token authentication stops for the key, and every token it issued stops working.</summary>
    public static Task<KmsResult<bool>> DeleteTokenGeneratorAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        NeedingGenerator(connection.SendAsync(KmsRequest.ForKey(HttpMethod.Delete, "Delete Token Generator", keyTag, Generator), Accepted, cancellationToken));

    /// <summary>Create Token Set (account authentication).</summary>
    public static Task<KmsResult<NcpKms.TokenSet>> CreateTokenSetAsync(this KmsConnection connection, string keyTag,
        NcpKms.TokenLifetime accessLifetime, NcpKms.TokenLifetime refreshLifetime, CancellationToken cancellationToken) =>
        NeedingGenerator(SendTokenSetAsync(connection, HttpMethod.Post, "Create Token Set", keyTag, accessLifetime, refreshLifetime, cancellationToken));

    /// <summary>Renew Token Set (refresh token). Earlier token sets keep working.</summary>
    public static Task<KmsResult<NcpKms.TokenSet>> RenewTokenSetAsync(this KmsConnection connection, string keyTag,
        NcpKms.TokenLifetime accessLifetime, NcpKms.TokenLifetime refreshLifetime, CancellationToken cancellationToken) =>
        SendTokenSetAsync(connection, HttpMethod.Put, "Renew Token Set", keyTag, accessLifetime, refreshLifetime, cancellationToken);

    /// <summary>Create Access Token (refresh token): an access token alone.</summary>
    public static Task<KmsResult<NcpKms.TokenSet>> CreateAccessTokenAsync(this KmsConnection connection, string keyTag,
        NcpKms.TokenLifetime accessLifetime, CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer => accessLifetime.WriteTo(writer, "accessTokenHours"));
        var request = KmsRequest.ForKey(HttpMethod.Post, "Create Access Token", keyTag, "access-token", body, sensitiveResponse: true);
        return connection.SendAsync(request, data => NcpKms.TokenSet.FromJson(keyTag, data, accessLifetime, null), cancellationToken);
    }

    /// <summary>The body of Create and Renew Token Set: only the lifetimes that were asked for.</summary>
    internal static byte[] TokenSetBody(NcpKms.TokenLifetime accessLifetime, NcpKms.TokenLifetime refreshLifetime) =>
        KmsJsonBody.Write(writer =>
        {
            accessLifetime.WriteTo(writer, "accessTokenHours");
            refreshLifetime.WriteTo(writer, "refreshTokenHours");
        });

    // The answers carry bearer tokens: sensitiveResponse keeps every part of their bodies out of messages.
    private static Task<KmsResult<NcpKms.TokenSet>> SendTokenSetAsync(KmsConnection connection, HttpMethod method, string operation, string keyTag,
        NcpKms.TokenLifetime accessLifetime, NcpKms.TokenLifetime refreshLifetime, CancellationToken cancellationToken)
    {
        var request = KmsRequest.ForKey(method, operation, keyTag, TokenSet, TokenSetBody(accessLifetime, refreshLifetime), sensitiveResponse: true);
        return connection.SendAsync(request, data => NcpKms.TokenSet.FromJson(keyTag, data, accessLifetime, refreshLifetime), cancellationToken);
    }

    private static bool Accepted(JsonElement data) => true;

    /// <summary>
    /// For the account calls that need the key's token generator: NCP answers 404 both for an unknown key and
    /// for a key without an active generator, so the KeyNotFound error says both. Id and NCP fields are kept.
    /// </summary>
    private static async Task<KmsResult<T>> NeedingGenerator<T>(Task<KmsResult<T>> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (KmsException exception) when (exception.Reason == "KeyNotFound")
        {
            throw new KmsException(exception.Reason, exception.Kind,
                exception.Message + " Either the key does not exist or it has no active token generator (New-NcpKmsTokenGenerator creates one).", exception)
            {
                KeyTag = exception.KeyTag,
                StatusCode = exception.StatusCode,
                NcpCode = exception.NcpCode,
                NcpMessage = exception.NcpMessage,
                RequestId = exception.RequestId,
            };
        }
    }

    private static KmsException NoGenerator(string keyTag) =>
        new("TokenGeneratorNotFound", KmsErrorKind.NotFound,
            $"The key '{keyTag}' has no token generator. Create one with New-NcpKmsTokenGenerator.") { KeyTag = keyTag };
}
