using System.Management.Automation;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the two operations authorised by a refresh token (Renew Token Set, Create Access Token):
/// the refresh token comes from -Token or NCLOUD_KMS_TOKEN and no account signature is sent.
/// </summary>
public abstract class RefreshTokenCmdlet : KeyCmdlet
{
    /// <summary>The refresh token; NCLOUD_KMS_TOKEN when not given.</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    protected override KmsConnection ResolveConnection() => TokenConnection(Token, KmsTokenKind.Refresh, required: true);
}
