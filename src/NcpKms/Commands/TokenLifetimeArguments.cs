using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>One lifetime parameter of a token cmdlet: its name, its value, and the service default it falls back to.</summary>
internal readonly record struct LifetimeParameter(string Name, int Hours, TokenLifetime ServiceDefault);

/// <summary>
/// The lifetime rule shared by New-NcpKmsToken, Update-NcpKmsToken and New-NcpKmsAccessToken: a lifetime
/// given in hours is sent as hours; -Unlimited makes every lifetime not given in hours unlimited ("UL");
/// a lifetime given neither way is not sent, so the service default applies.
/// </summary>
internal static class TokenLifetimeArguments
{
    public static LifetimeParameter[] AccessAndRefresh(int accessTokenHours, int refreshTokenHours) =>
    [
        new("AccessTokenHours", accessTokenHours, TokenLifetime.AccessTokenDefault),
        new("RefreshTokenHours", refreshTokenHours, TokenLifetime.RefreshTokenDefault),
    ];

    public static LifetimeParameter[] AccessOnly(int accessTokenHours) =>
        [new("AccessTokenHours", accessTokenHours, TokenLifetime.AccessTokenDefault)];

    /// <summary>
    /// The lifetimes in the order of <paramref name="parameters"/>. -Unlimited with every lifetime given in
    /// hours has nothing to apply to: that is written as NcpKms.InvalidTokenLifetime and the item is skipped.
    /// </summary>
    public static bool TryResolve(PSCmdlet cmdlet, bool unlimited, string keyTag, LifetimeParameter[] parameters,
        [NotNullWhen(true)] out TokenLifetime[]? lifetimes) =>
        cmdlet.TryGet(() => Resolve(cmdlet.MyInvocation.BoundParameters, unlimited, keyTag, parameters), out lifetimes);

    private static TokenLifetime[] Resolve(IDictionary<string, object> bound, bool unlimited, string keyTag, LifetimeParameter[] parameters)
    {
        TokenLifetime[] lifetimes = parameters.Select(parameter =>
            bound.ContainsKey(parameter.Name) ? TokenLifetime.FromHours(parameter.Hours)
            : unlimited ? TokenLifetime.Unlimited
            : parameter.ServiceDefault).ToArray();
        if (!unlimited || lifetimes.Any(lifetime => lifetime.IsUnlimited)) return lifetimes;

        string given = string.Join(" and ", parameters.Select(parameter => "-" + parameter.Name));
        throw new KmsException("InvalidTokenLifetime", KmsErrorKind.InvalidArgument,
            $"-Unlimited applies to the lifetimes not given in hours, but {given} {(parameters.Length > 1 ? "are" : "is")} given: "
            + $"leave out -Unlimited or an hours parameter. No request was sent for key '{keyTag}'.") { KeyTag = keyTag };
    }
}
