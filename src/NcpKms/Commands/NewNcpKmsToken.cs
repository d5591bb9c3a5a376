using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Token Set (account authentication): a new access token and refresh token for each key.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenSet))]
public sealed class NewNcpKmsToken : TokenSetCmdlet
{
    protected override void Issue(TokenLifetime access, TokenLifetime refresh) =>
        Change($"Issue an access token ({access}) and a refresh token ({refresh}) for the key",
            (connection, token) => connection.CreateTokenSetAsync(KeyTag, access, refresh, token));
}
