using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the cmdlets that also accept token authentication (the crypto operations, and the two
/// refresh-token operations). Order: -Token; -Context; the Connect-NcpKms session; NCLOUD_KMS_TOKEN;
/// then the environment variables and the configure file. A token connection uses the endpoint of -Context
/// or the session when there is one, else NCLOUD_KMS_ENDPOINT, else the public global host.
/// </summary>
public abstract class NcpKmsTokenCmdlet : NcpKmsCmdlet
{
    /// <summary>A KMS token (x-ncp-ocapi-token) to use instead of account signing.</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    /// <summary>Which token this cmdlet needs: an access token for crypto, a refresh token to renew.</summary>
    protected virtual KmsTokenKind TokenKind => KmsTokenKind.Access;

    /// <summary>True for the operations that only take a token (Renew Token Set, Create Access Token).</summary>
    protected virtual bool RequiresToken => false;

    protected override KmsConnection ResolveConnection() => Terminating(() =>
    {
        KmsToken? token = TokenFromParameter() ?? (Context is null && !HasSession() ? TokenFromEnvironment() : null);
        if (token is null && RequiresToken) token = TokenFromEnvironment() ?? throw TokenNotFound();
        if (token is null) return ResolvedContext.Connection;

        KmsConnection? account = (Context ?? SessionContext.Current)?.Connection;
        KmsEndpoint endpoint = account?.Endpoint ?? KmsEndpoint.Resolve(null, Environment.GetEnvironmentVariable, NcpSite.Public, NcpRegion.Global);
        WriteDebug($"Authentication: {token.Description}; endpoint {endpoint} (from {endpoint.Source}).");
        return new KmsConnection(token, endpoint) { Retry = account?.Retry ?? KmsSettings.RetryPolicy(Environment.GetEnvironmentVariable) };
    });

    private static bool HasSession() => SessionContext.Current is not null;

    private KmsToken? TokenFromParameter()
    {
        if (Token is null) return null;
        if (Token.Length == 0) throw EmptyToken("-Token");
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(Token);
        char[] buffer = new char[Token.Length];
        try
        {
            Marshal.Copy(pointer, buffer, 0, buffer.Length);
            return new KmsToken(buffer, TokenKind, "-Token");
        }
        catch (ArgumentException)
        {
            throw EmptyToken("-Token");
        }
        finally
        {
            Array.Clear(buffer);
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    private KmsToken? TokenFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(KmsToken.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new KmsToken(value, TokenKind, KmsToken.EnvironmentVariable);
    }

    private KmsException TokenNotFound() =>
        new("TokenNotFound", KmsErrorKind.Authentication,
            $"{MyInvocation.MyCommand.Name} needs a KMS {TokenKind.ToString().ToLowerInvariant()} token: give -Token, or set {KmsToken.EnvironmentVariable}.");

    private static KmsException EmptyToken(string source) =>
        new("InvalidToken", KmsErrorKind.InvalidArgument, $"The token given by {source} is empty.");
}
