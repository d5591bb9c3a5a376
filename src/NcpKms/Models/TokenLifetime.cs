using System.Globalization;
using System.Text.Json;

namespace NcpKms;

/// <summary>
/// The lifetime asked for one token: a number of hours (1–17520), unlimited ("UL"), or the service's
/// default (nothing sent; NCP documents 72 hours for access tokens and 2160 for refresh tokens).
/// </summary>
public sealed class TokenLifetime
{
    public const int MinHours = 1;
    public const int MaxHours = 17520;
    public const int DefaultAccessTokenHours = 72;
    public const int DefaultRefreshTokenHours = 2160;

    /// <summary>The value NCP takes for an unlimited lifetime.</summary>
    internal const string UnlimitedValue = "UL";

    private TokenLifetime(int? hours, bool isUnlimited, bool isDefault)
    {
        Hours = hours;
        IsUnlimited = isUnlimited;
        IsDefault = isDefault;
    }

    /// <summary>The hours asked for, or the documented default when nothing was asked; null when unlimited.</summary>
    public int? Hours { get; }

    public bool IsUnlimited { get; }

    /// <summary>True when nothing was sent, so the service's default applies.</summary>
    public bool IsDefault { get; }

    public static TokenLifetime Unlimited { get; } = new(null, isUnlimited: true, isDefault: false);

    public static TokenLifetime AccessTokenDefault { get; } = new(DefaultAccessTokenHours, isUnlimited: false, isDefault: true);

    public static TokenLifetime RefreshTokenDefault { get; } = new(DefaultRefreshTokenHours, isUnlimited: false, isDefault: true);

    /// <summary>A lifetime in hours; the cmdlets' [ValidateRange] keeps it in 1–17520 before it gets here.</summary>
    public static TokenLifetime FromHours(int hours) => new(hours, isUnlimited: false, isDefault: false);

    public override string ToString() =>
        IsUnlimited ? "Unlimited"
        : Hours.GetValueOrDefault().ToString(CultureInfo.InvariantCulture) + " h" + (IsDefault ? " (default)" : string.Empty);

    /// <summary>Writes the body field for this lifetime: a number, "UL", or nothing for the default.</summary>
    internal void WriteTo(Utf8JsonWriter writer, string fieldName)
    {
        if (IsUnlimited) writer.WriteString(fieldName, UnlimitedValue);
        else if (!IsDefault) writer.WriteNumber(fieldName, Hours.GetValueOrDefault());
    }
}
