using System;

namespace NcpKms.Emulator.State;

/// <summary>
/// Everything needed to create a key, whether from a Create Key request or from direct seeding. Seeding can
/// also ask for a non-default status and several versions; Create Key always makes ENABLE with version 1.
/// </summary>
internal sealed record NewKeySpec
{
    /// <summary>The exact name, or null to let the store number one from <see cref="NamePrefix"/>.</summary>
    public string? KeyName { get; init; }

    /// <summary>With <see cref="KeyName"/> null: names are this prefix plus a four-digit number (key0001, ...).</summary>
    public string NamePrefix { get; init; } = "key";

    public string KeyType { get; init; } = KeyRules.Aes256;

    public string ProtectionType { get; init; } = KeyRules.Basic;

    public string Memo { get; init; } = string.Empty;

    public bool IsConvergent { get; init; }

    public bool IsAutoRotation { get; init; }

    public int RotationPeriod { get; init; } = KeyRules.DefaultRotationPeriod;

    public string Status { get; init; } = KeyRules.Enable;

    public int VersionCount { get; init; } = 1;
}
