using NcpKms.Core;

namespace NcpKms;

/// <summary>
/// A signature from Sign. The type is not called Signature because its Signature property must keep the
/// name the API and Test-NcpKmsSignature -Signature use, and a C# member cannot share its type's name.
/// </summary>
public sealed class DataSignature
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The key version the signature's "ncpkms:v{N}:" prefix names; null if it names none.</summary>
    public int? KeyVersion { get; private init; }

    /// <summary>The signature exactly as KMS returned it (with its KMS prefix); pass it to Verify unchanged.</summary>
    public string Signature { get; private init; } = string.Empty;

    public override string ToString() => Signature;

    internal static DataSignature From(string keyTag, string signature) => new()
    {
        KeyTag = keyTag,
        KeyVersion = KmsCryptoLimits.VersionOf(signature),
        Signature = signature,
    };
}
