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
    private const int EcdsaKeyBits = 256;

    private readonly Lazy<byte[]> _secret;
    private readonly Action? _onGenerated;

    private KeyMaterial(Lazy<byte[]> secret, Action? onGenerated)
    {
        _secret = secret;
        _onGenerated = onGenerated;
    }

    public byte[] Secret
    {
        get
        {
            if (_secret.IsValueCreated)
            {
                return _secret.Value;
            }

            // Reported once the value is published, so whoever reacts (the state file) reads it as generated.
            byte[] secret = _secret.Value;
            _onGenerated?.Invoke();
            return secret;
        }
    }

    /// <summary>The secret if it has been generated (or was loaded), else null: an unused version has none yet.</summary>
    public byte[]? GeneratedSecret => _secret.IsValueCreated ? _secret.Value : null;

    /// <summary>Material generated on first use; <paramref name="onGenerated"/> is told when that happens (more than once under a race).</summary>
    public static KeyMaterial For(string keyType, Action onGenerated) => keyType switch
    {
        KeyRules.Aes256 => Lazy(() => RandomNumberGenerator.GetBytes(AesKeyBytes), onGenerated),
        KeyRules.Rsa2048 => Lazy(NewRsaKey, onGenerated),
        KeyRules.Ecdsa => Lazy(NewEcdsaKey, onGenerated),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type"),
    };

    /// <summary>Material saved earlier; throws <see cref="CryptographicException"/> when it is not a key of the type.</summary>
    public static KeyMaterial FromSecret(string keyType, byte[] secret)
    {
        int bits = keyType switch
        {
            KeyRules.Aes256 => secret.Length * 8,
            KeyRules.Rsa2048 => ImportedKeySize(RSA.Create(), secret),
            KeyRules.Ecdsa => ImportedKeySize(ECDsa.Create(), secret),
            _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type"),
        };
        int expected = keyType switch { KeyRules.Aes256 => AesKeyBytes * 8, KeyRules.Rsa2048 => RsaKeyBits, _ => EcdsaKeyBits };
        return bits == expected
            ? new KeyMaterial(new Lazy<byte[]>(secret), null)
            : throw new CryptographicException("a " + keyType + " key has " + expected + " bits, this one " + bits);
    }

    private static KeyMaterial Lazy(Func<byte[]> generate, Action onGenerated) => new(new Lazy<byte[]>(generate), onGenerated);

    private static int ImportedKeySize(AsymmetricAlgorithm algorithm, byte[] pkcs8)
    {
        using (algorithm)
        {
            algorithm.ImportPkcs8PrivateKey(pkcs8, out _);
            return algorithm.KeySize;
        }
    }

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
