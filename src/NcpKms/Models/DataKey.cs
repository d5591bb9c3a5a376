namespace NcpKms;

/// <summary>
/// A data key from Create Custom Key, for envelope encryption: the key wrapped by the KMS key (Ciphertext, to
/// store next to the data) and, unless it was not asked for, the key itself (Plaintext, to encrypt the data with
/// and then discard). Nothing here renders the plaintext: ToString is the ciphertext.
/// </summary>
public sealed class DataKey
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The version of the KMS key that wrapped the data key.</summary>
    public int? KeyVersion { get; private init; }

    /// <summary>The length of the data key in bits: 128, 256 or 512.</summary>
    public int Bits { get; private init; }

    /// <summary>The data key encrypted under the KMS key ("ncpkms:v{N}:..."); Unprotect-NcpKmsData -AsByteArray gives the key back.</summary>
    public string Ciphertext { get; private init; } = string.Empty;

    /// <summary>
    /// The data key: a SecureString holding its Base64 text (the default), a byte array of the raw key
    /// (-AsByteArray), or null (-WithoutPlaintext).
    /// </summary>
    public object? Plaintext { get; private init; }

    public override string ToString() => Ciphertext;

    internal static DataKey From(string keyTag, int bits, Core.GeneratedDataKey generated, object? plaintext) => new()
    {
        KeyTag = keyTag,
        KeyVersion = generated.KeyVersion,
        Bits = bits,
        Ciphertext = generated.Ciphertext,
        Plaintext = plaintext,
    };
}
