using System.Management.Automation;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Renew Token Set (refresh token): a new access token and refresh token; earlier ones keep working.</summary>
[Cmdlet(VerbsData.Update, "NcpKmsToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenSet))]
public sealed class UpdateNcpKmsToken : TokenSetCmdlet
{
    /// <summary>The refresh token; NCLOUD_KMS_TOKEN when not given. No account signature is sent.</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    protected override KmsConnection ResolveConnection() => TokenConnection(Token, KmsTokenKind.Refresh, required: true);

    protected override void Issue(TokenLifetime access, TokenLifetime refresh) =>
        Change($"Renew the token set of the key with the refresh token: a new access token ({access}) and refresh token ({refresh})",
            (connection, token) => connection.RenewTokenSetAsync(KeyTag, access, refresh, token));
}
