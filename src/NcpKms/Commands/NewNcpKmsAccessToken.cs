using System.Management.Automation;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Access Token (refresh token): a new access token alone.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsAccessToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenSet))]
public sealed class NewNcpKmsAccessToken : KeyCmdlet
{
    [Parameter]
    [ValidateRange(TokenLifetime.MinHours, TokenLifetime.MaxHours)]
    public int AccessTokenHours { get; set; }

    /// <summary>Makes the access token unlimited when -AccessTokenHours is not given.</summary>
    [Parameter]
    public SwitchParameter Unlimited { get; set; }

    /// <summary>The refresh token; NCLOUD_KMS_TOKEN when not given. No account signature is sent.</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    protected override KmsConnection ResolveConnection() => TokenConnection(Token, KmsTokenKind.Refresh, required: true);

    protected override void ProcessKey()
    {
        if (!TokenLifetimeArguments.TryResolve(this, Unlimited, KeyTag, TokenLifetimeArguments.AccessOnly(AccessTokenHours), out TokenLifetime[]? lifetimes)) return;
        TokenLifetime access = lifetimes[0];
        Change($"Issue an access token ({access}) for the key with the refresh token",
            (connection, token) => connection.CreateAccessTokenAsync(KeyTag, access, token));
    }
}
