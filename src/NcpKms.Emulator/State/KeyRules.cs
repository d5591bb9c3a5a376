using System;
using System.Text.RegularExpressions;

namespace NcpKms.Emulator.State;

/// <summary>The documented values and limits of the key model (reference §6).</summary>
internal static partial class KeyRules
{
    public const string Aes256 = "AES256";
    public const string Rsa2048 = "RSA2048";
    public const string Ecdsa = "ECDSA";

    public const string Enable = "ENABLE";
    public const string Disable = "DISABLE";
    public const string Revoke = "REVOKE";

    public const string GeneratorActive = "ACTIVE";
    public const string GeneratorInactive = "INACTIVE";

    public const string Basic = "BASIC";
    public const string CommonHsm = "COMMON_HSM";

    public const int MaxVersions = 100;
    public const int MaxMemoLength = 100;
    public const int MinRotationPeriod = 1;
    public const int MaxRotationPeriod = 730;
    public const int DefaultRotationPeriod = 90;

    public const long DayMilliseconds = 24L * 60 * 60 * 1000;

    /// <summary>Reference §6.3: a key in REVOKE is deleted automatically after 72 hours.</summary>
    public const long DeletionWaitMilliseconds = 72L * 60 * 60 * 1000;

    /// <summary>Reference §6.3: enabling, disabling, deleting and cancelling each start from these states.</summary>
    public static readonly string[] EnableOnly = [Enable];
    public static readonly string[] DisableOnly = [Disable];
    public static readonly string[] RevokeOnly = [Revoke];

    /// <summary>That deletion can be requested from both states is inferred (reference §6.3).</summary>
    public static readonly string[] EnableOrDisable = [Enable, Disable];

    public const string KeyNameRule = "3-15 characters from A-Z, a-z, 0-9, '_' and '-', starting with a letter";

    public static bool IsKeyType(string value) => value is Aes256 or Rsa2048 or Ecdsa;

    public static bool IsProtectionType(string value) => value is Basic or CommonHsm;

    public static bool IsValidKeyName(string value) => KeyNamePattern().IsMatch(value);

    /// <summary>Characters a generated key tag can contain; anything else in a path cannot name a key.</summary>
    public static bool IsPlausibleKeyTag(string value) => KeyTagPattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{2,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyTagPattern();
}
