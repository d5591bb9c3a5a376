using System;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator;

/// <summary>A key seeded by Add-NcpKmsEmulatorKey (or Start-NcpKmsEmulator -KeyCount), as it was stored.</summary>
public sealed class EmulatorKey
{
    internal EmulatorKey(string keyTag, string keyName, string keyType, string status, int currentVersion)
    {
        KeyTag = keyTag;
        KeyName = keyName;
        KeyType = keyType;
        Status = status;
        CurrentVersion = currentVersion;
    }

    /// <summary>64 random lowercase letters and digits; the identifier every key path uses.</summary>
    public string KeyTag { get; }

    public string KeyName { get; }

    /// <summary>AES256, RSA2048 or ECDSA.</summary>
    public string KeyType { get; }

    /// <summary>ENABLE, DISABLE or REVOKE.</summary>
    public string Status { get; }

    public int CurrentVersion { get; }

    internal static EmulatorKey From(KmsKey key) =>
        new(key.KeyTag, key.KeyName, key.KeyType, key.Status, key.CurrentVersion);
}
