using System;
using System.Security.Cryptography;

namespace NcpKms.Emulator.State;

/// <summary>
/// The secret of one key version: 32 random bytes for AES256, a PKCS#8 private key for RSA2048 and ECDSA
/// (P-256). Generated on first use: an RSA key takes tens of milliseconds to make, and seeded keys with many
/// versions are mostly never used for cryptography. Kept as bytes rather than as RSA/ECDsa objects, which are
/// not documented as safe for concurrent use; each operation imports its own instance.
/// </summary>
internal sealed class KeyMaterial
{
    public const int AesKeyBytes = 32;
    private const int RsaKeyBits = 2048;

    private readonly Lazy<byte[]> _secret;

    private KeyMaterial(Func<byte[]> generate) => _secret = new Lazy<byte[]>(generate);

    public byte[] Secret => _secret.Value;

    public static KeyMaterial For(string keyType) => keyType switch
    {
        KeyRules.Aes256 => new KeyMaterial(() => RandomNumberGenerator.GetBytes(AesKeyBytes)),
        KeyRules.Rsa2048 => new KeyMaterial(NewRsaKey),
        KeyRules.Ecdsa => new KeyMaterial(NewEcdsaKey),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type"),
    };

    private static byte[] NewRsaKey()
    {
        using RSA rsa = RSA.Create(RsaKeyBits);
        return rsa.ExportPkcs8PrivateKey();
    }

    private static byte[] NewEcdsaKey()
    {
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportPkcs8PrivateKey();
    }
}
