using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Token Set (account authentication): a new access token and refresh token for each key.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenSet))]
public sealed class NewNcpKmsToken : KeyCmdlet
{
    [Parameter]
    [ValidateRange(TokenLifetime.MinHours, TokenLifetime.MaxHours)]
    public int AccessTokenHours { get; set; }

    [Parameter]
    [ValidateRange(TokenLifetime.MinHours, TokenLifetime.MaxHours)]
    public int RefreshTokenHours { get; set; }

    /// <summary>Makes every lifetime not given in hours unlimited.</summary>
    [Parameter]
    public SwitchParameter Unlimited { get; set; }

    protected override void ProcessKey()
    {
        if (!TokenLifetimeArguments.TryResolve(this, Unlimited, KeyTag, TokenLifetimeArguments.AccessAndRefresh(AccessTokenHours, RefreshTokenHours), out TokenLifetime[]? lifetimes)) return;
        (TokenLifetime access, TokenLifetime refresh) = (lifetimes[0], lifetimes[1]);
        Change($"Issue an access token ({access}) and a refresh token ({refresh}) for the key",
            (connection, token) => connection.CreateTokenSetAsync(KeyTag, access, refresh, token));
    }
}
