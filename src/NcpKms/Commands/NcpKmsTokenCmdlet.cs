using System.Management.Automation;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the crypto cmdlets, which accept an access token as well as account authentication;
/// <see cref="NcpKmsCmdlet.TokenConnection"/> says which one is used.
/// </summary>
public abstract class NcpKmsTokenCmdlet : NcpKmsCmdlet
{
    /// <summary>A KMS token (x-ncp-ocapi-token) to use instead of account signing.</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    protected override KmsConnection ResolveConnection() => TokenConnection(Token, KmsTokenKind.Access, required: false);
}
