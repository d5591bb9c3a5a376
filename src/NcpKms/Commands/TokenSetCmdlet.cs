using System.Management.Automation;

namespace NcpKms.Commands;

/// <summary>
/// The base of New-NcpKmsToken and Update-NcpKmsToken, which issue a token set: the lifetimes of its access
/// token and refresh token, checked before any request. How the request is authorised is the subclass's:
/// account credentials create a set, a refresh token (its own -Token) renews one.
/// </summary>
public abstract class TokenSetCmdlet : KeyCmdlet
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

    protected sealed override void ProcessKey()
    {
        if (TokenLifetimeArguments.TryResolve(this, Unlimited, KeyTag, TokenLifetimeArguments.AccessAndRefresh(AccessTokenHours, RefreshTokenHours), out TokenLifetime[]? lifetimes))
            Issue(lifetimes[0], lifetimes[1]);
    }

    /// <summary>Issues the token set of the key with the lifetimes resolved.</summary>
    protected abstract void Issue(TokenLifetime access, TokenLifetime refresh);
}
