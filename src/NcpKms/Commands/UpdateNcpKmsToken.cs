using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Renew Token Set (refresh token): a new access token and refresh token; earlier ones keep working.</summary>
[Cmdlet(VerbsData.Update, "NcpKmsToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenSet))]
public sealed class UpdateNcpKmsToken : RefreshTokenCmdlet
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
        Change($"Renew the token set of the key with the refresh token: a new access token ({access}) and refresh token ({refresh})",
            (connection, token) => connection.RenewTokenSetAsync(KeyTag, access, refresh, token));
    }
}
