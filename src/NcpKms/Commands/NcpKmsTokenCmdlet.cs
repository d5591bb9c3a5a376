using System.Management.Automation;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the cmdlets that also accept token authentication (the crypto operations, and the two
/// refresh-token operations); <see cref="NcpKmsCmdlet.TokenConnection"/> says where the token comes from.
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

    protected override KmsConnection ResolveConnection() => TokenConnection(Token, TokenKind, RequiresToken);
}
