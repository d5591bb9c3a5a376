using NcpKms.Core;

namespace NcpKms;

/// <summary>A ciphertext from Encrypt or Re-encrypt, with the key and the key version that produced it.</summary>
public sealed class EncryptedData
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The key version the ciphertext's "ncpkms:v{N}:" prefix names; null if it names none.</summary>
    public int? KeyVersion { get; private init; }

    /// <summary>The ciphertext exactly as KMS returned it; store it unchanged.</summary>
    public string Ciphertext { get; private init; } = string.Empty;

    /// <summary>The ciphertext, so "$encrypted" is the value to store.</summary>
    public override string ToString() => Ciphertext;

    internal static EncryptedData From(string keyTag, string ciphertext) => new()
    {
        KeyTag = keyTag,
        KeyVersion = KmsCryptoLimits.VersionOf(ciphertext),
        Ciphertext = ciphertext,
    };
}
