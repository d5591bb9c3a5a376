using System;
using System.Security.Cryptography;
using System.Text;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Crypto;

/// <summary>
/// Real cryptography with one key version's material (reference §6.1):
/// <list type="bullet">
/// <item>AES256: AES-256-GCM, 12-byte nonce, 16-byte tag; the payload is nonce ‖ ciphertext ‖ tag. A given
/// <c>context</c> is the additional authenticated data, so decrypting with another context fails. That a
/// non-convergent key also binds a given context is inferred; the reference describes context only for
/// convergent keys.</item>
/// <item>RSA2048: encryption is RSA-OAEP with SHA-256 (hence at most 190 bytes: 256 − 2·32 − 2); the context
/// is not bound, as OAEP here has no label. Signing is RSASSA-PKCS1-v1_5 with SHA-256 over the data.</item>
/// <item>ECDSA: P-256 with SHA-256 over the data; the signature is DER-encoded (RFC 3279 Ecdsa-Sig-Value), the
/// form most verifiers expect.</item>
/// </list>
/// Decryption failures surface as <see cref="CryptographicException"/>.
/// </summary>
internal static class VersionCrypto
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] ConvergentKeyLabel = Encoding.ASCII.GetBytes("ncpkms convergent key:");
    private static readonly byte[] ConvergentNonceLabel = Encoding.ASCII.GetBytes("ncpkms convergent nonce:");

    public static byte[] Encrypt(KmsKey key, KmsKeyVersion version, byte[] plaintext, byte[]? context)
    {
        if (key.KeyType == KeyRules.Rsa2048)
        {
            using RSA rsa = (RSA)Import(key.KeyType, version.Material);
            return rsa.Encrypt(plaintext, RSAEncryptionPadding.OaepSHA256);
        }

        byte[] secret = version.Material.Secret;
        return key.IsConvergent
            ? SealAes(Derive(secret, ConvergentKeyLabel, context!), ConvergentNonce(secret, context!, plaintext), plaintext, context)
            : SealAes(secret, RandomNumberGenerator.GetBytes(NonceBytes), plaintext, context);
    }

    public static byte[] Decrypt(KmsKey key, KmsKeyVersion version, byte[] payload, byte[]? context)
    {
        if (key.KeyType == KeyRules.Rsa2048)
        {
            using RSA rsa = (RSA)Import(key.KeyType, version.Material);
            return rsa.Decrypt(payload, RSAEncryptionPadding.OaepSHA256);
        }

        byte[] secret = version.Material.Secret;
        return OpenAes(key.IsConvergent ? Derive(secret, ConvergentKeyLabel, context!) : secret, payload, context);
    }

    public static byte[] Sign(string keyType, KeyMaterial material, byte[] data)
    {
        using AsymmetricAlgorithm algorithm = Import(keyType, material);
        return algorithm is RSA rsa
            ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)algorithm).SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static bool Verify(string keyType, KeyMaterial material, byte[] data, byte[] signature)
    {
        using AsymmetricAlgorithm algorithm = Import(keyType, material);
        try
        {
            return algorithm is RSA rsa
                ? rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ((ECDsa)algorithm).VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // Bytes that are not a signature at all (wrong length, not DER) are simply not a valid signature.
            return false;
        }
    }

    /// <summary>Reference §8.4.7 (format inferred there): PEM of the SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----".</summary>
    public static string PublicKeyPem(string keyType, KeyMaterial material)
    {
        using AsymmetricAlgorithm algorithm = Import(keyType, material);
        return algorithm.ExportSubjectPublicKeyInfoPem();
    }

    private static AsymmetricAlgorithm Import(string keyType, KeyMaterial material)
    {
        AsymmetricAlgorithm algorithm = keyType == KeyRules.Rsa2048 ? RSA.Create() : ECDsa.Create();
        algorithm.ImportPkcs8PrivateKey(material.Secret, out _);
        return algorithm;
    }

    private static byte[] SealAes(byte[] key, byte[] nonce, byte[] plaintext, byte[]? context)
    {
        var payload = new byte[NonceBytes + plaintext.Length + TagBytes];
        nonce.CopyTo(payload, 0);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, payload.AsSpan(NonceBytes, plaintext.Length), payload.AsSpan(NonceBytes + plaintext.Length), context);
        return payload;
    }

    private static byte[] OpenAes(byte[] key, byte[] payload, byte[]? context)
    {
        if (payload.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The payload is shorter than a nonce and a tag");
        }

        int length = payload.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(payload.AsSpan(0, NonceBytes), payload.AsSpan(NonceBytes, length), payload.AsSpan(NonceBytes + length), plaintext, context);
        return plaintext;
    }

    /// <summary>
    /// Convergent keys (reference §6.6: "key and IV are derived from the context"): the AES key is
    /// HKDF-SHA256(version key, info = label ‖ context). The nonce is the first 12 bytes of
    /// HMAC-SHA256(HKDF-SHA256(version key, info = nonce label ‖ context), plaintext). Folding in the plaintext
    /// (as SIV modes do) keeps the output deterministic for the same plaintext and context, while two different
    /// plaintexts under one context never share a GCM nonce, which would leak their XOR and the tag key.
    /// </summary>
    private static byte[] ConvergentNonce(byte[] secret, byte[] context, byte[] plaintext) =>
        HMACSHA256.HashData(Derive(secret, ConvergentNonceLabel, context), plaintext)[..NonceBytes];

    private static byte[] Derive(byte[] secret, byte[] label, byte[] context)
    {
        var info = new byte[label.Length + context.Length];
        label.CopyTo(info, 0);
        context.CopyTo(info, label.Length);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyMaterial.AesKeyBytes, [], info);
    }
}
