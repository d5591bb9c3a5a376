namespace NcpKms;

/// <summary>
/// The public key of an RSA2048 or ECDSA key version, from Get Public Key. Named PublicKeyInfo because its
/// PublicKey property keeps the API's field name, and a C# member cannot share its type's name.
/// </summary>
public sealed class PublicKeyInfo
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The version asked for; null when none was, which means the current version (the API does not say which).</summary>
    public int? Version { get; private init; }

    /// <summary>The public key as KMS returned it: a PEM "-----BEGIN PUBLIC KEY-----" block.</summary>
    public string PublicKey { get; private init; } = string.Empty;

    public override string ToString() => PublicKey;

    internal static PublicKeyInfo From(string keyTag, int? version, string publicKey) =>
        new() { KeyTag = keyTag, Version = version, PublicKey = publicKey };
}
