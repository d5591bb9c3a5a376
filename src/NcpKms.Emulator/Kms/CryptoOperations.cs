using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using NcpKms.Emulator.Crypto;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The cryptographic operations (reference §8.4), with real cryptography per key version (see
/// <see cref="VersionCrypto"/>). Each accepts account authentication or an access token (§3.7). A key that is
/// not ENABLE, or a named version that is disabled, is refused with 422.
/// </summary>
internal sealed class CryptoOperations
{
    /// <summary>Reference §6.9: "32 KB" per request, read as 32 × 1024 bytes of decoded plaintext; for a list, the total.</summary>
    private const int MaxAesPlaintextBytes = 32 * 1024;
    private const int MaxRsaPlaintextBytes = 190;
    private const int MaxSignBytes = 8 * 1024;

    /// <summary>Reference §6.6 says "50 bytes (Base64-encoded input)"; read as at most 50 bytes once decoded.</summary>
    private const int MaxContextBytes = 50;

    private static readonly string[] EncryptionTypes = [KeyRules.Aes256, KeyRules.Rsa2048];
    private static readonly string[] SigningTypes = [KeyRules.Rsa2048, KeyRules.Ecdsa];
    private static readonly int[] CustomKeyBits = [128, 256, 512];

    private readonly KeyAccess _keys;

    public CryptoOperations(KeyAccess keys) => _keys = keys;

    public void Map(KmsRouter router)
    {
        router.Map("POST", "/kms/v1/keys/{keyTag}/encrypt", "Encrypt", AuthModes.AccountOrAccessToken, Encrypt);
        router.Map("POST", "/kms/v1/keys/{keyTag}/decrypt", "Decrypt", AuthModes.AccountOrAccessToken, Decrypt);
        router.Map("POST", "/kms/v1/keys/{keyTag}/re-encrypt", "ReEncrypt", AuthModes.AccountOrAccessToken, ReEncrypt);
        router.Map("POST", "/kms/v1/keys/{keyTag}/create-custom-key", "CreateCustomKey", AuthModes.AccountOrAccessToken, CreateCustomKey);
        router.Map("POST", "/kms/v1/keys/{keyTag}/sign", "Sign", AuthModes.AccountOrAccessToken, Sign);
        router.Map("POST", "/kms/v1/keys/{keyTag}/verify", "Verify", AuthModes.AccountOrAccessToken, Verify);
        router.Map("POST", "/kms/v1/keys/{keyTag}/get-pub-key", "GetPublicKey", AuthModes.AccountOrAccessToken, GetPublicKey);
    }

    private void Encrypt(KmsCall call)
    {
        KmsKey key = UsableKey(call, EncryptionTypes);
        (StringOrArray input, byte[]? context) = ReadValues(call, key, "plaintext");
        byte[][] plaintexts = input.Items.Select(p => JsonBody.DecodeBase64(p, "plaintext")).ToArray();
        CheckPlaintextSize(key, plaintexts);
        call.Succeed(("ciphertext", input.Mirror(plaintexts.Select(p => Seal(key, p, context)).ToArray())));
    }

    private void Decrypt(KmsCall call)
    {
        KmsKey key = UsableKey(call, EncryptionTypes);
        (StringOrArray input, byte[]? context) = ReadValues(call, key, "ciphertext");
        call.Succeed(("plaintext", input.Mirror(input.Items.Select(c => Convert.ToBase64String(Open(key, c, context))).ToArray())));
    }

    /// <summary>Decrypts with the version each ciphertext names and encrypts again with the current version.</summary>
    private void ReEncrypt(KmsCall call)
    {
        KmsKey key = UsableKey(call, EncryptionTypes);
        (StringOrArray input, byte[]? context) = ReadValues(call, key, "ciphertext");
        call.Succeed(("newCiphertext", input.Mirror(input.Items.Select(c => Seal(key, Open(key, c, context), context)).ToArray())));
    }

    /// <summary>Reference §8.4.4: a random data key of <c>bits</c>, wrapped by the current version; <c>key_version</c> is snake_case as documented.</summary>
    private void CreateCustomKey(KmsCall call)
    {
        KmsKey key = UsableKey(call, EncryptionTypes);
        (bool requestPlainKey, int bits, byte[]? context) = JsonBody.Read(call.Request.Body,
            body => (body.Boolean("requestPlainKey") ?? false, body.Int32("bits") ?? 256, ReadContext(body, key)), optional: true);
        if (!CustomKeyBits.Contains(bits))
        {
            throw KmsFault.Invalid("bits: one of 128, 256, 512");
        }

        byte[] dataKey = RandomNumberGenerator.GetBytes(bits / 8);
        var fields = new List<(string, object?)> { ("ciphertext", Seal(key, dataKey, context)), ("key_version", key.CurrentVersion) };
        if (requestPlainKey)
        {
            fields.Add(("plaintext", Convert.ToBase64String(dataKey)));
        }

        call.Succeed(fields.ToArray());
    }

    private void Sign(KmsCall call)
    {
        KmsKey key = UsableKey(call, SigningTypes);
        byte[] data = JsonBody.Read(call.Request.Body, ReadSignData);
        KmsKeyVersion current = key.Versions[^1];
        call.Succeed(("signature", KmsPrefix.Format(current.Version, VersionCrypto.Sign(key.KeyType, current.Material, data))));
    }

    /// <summary>Verifies with the version the signature's prefix names; a signature that does not match is <c>valid: false</c>, not an error.</summary>
    private void Verify(KmsCall call)
    {
        KmsKey key = UsableKey(call, SigningTypes);
        (byte[] data, string signature) = JsonBody.Read(call.Request.Body, body => (ReadSignData(body), body.RequiredString("signature")));
        (int version, byte[] bytes) = KmsPrefix.Parse(signature, "signature");
        call.Succeed(("valid", VersionCrypto.Verify(key.KeyType, EnabledVersion(key, version).Material, data, bytes)));
    }

    /// <summary>Reference §8.4.7: POST with an optional <c>keyVersion</c> (1-100; the current version when omitted).</summary>
    private void GetPublicKey(KmsCall call)
    {
        KmsKey key = UsableKey(call, SigningTypes);
        int version = JsonBody.Read(call.Request.Body, body => body.Int32("keyVersion"), optional: true) ?? key.CurrentVersion;
        if (version is < 1 or > KeyRules.MaxVersions)
        {
            throw KmsFault.Invalid("keyVersion: an integer 1-100");
        }

        call.Succeed(("publicKey", VersionCrypto.PublicKeyPem(key.KeyType, EnabledVersion(key, version).Material)));
    }

    /// <summary>The path's key, if its type supports the operation (400) and it is ENABLE (422).</summary>
    private KmsKey UsableKey(KmsCall call, string[] types)
    {
        KmsKey key = _keys.Find(call);
        KeyAccess.RequireKeyType(key, types, call.Api!.Action);
        KeyAccess.RequireStatus(key, KeyRules.EnableOnly, call.Api!.Action);
        return key;
    }

    /// <summary>The field to process (a String or an Array of Strings) and the context.</summary>
    private static (StringOrArray Values, byte[]? Context) ReadValues(KmsCall call, KmsKey key, string name) =>
        JsonBody.Read(call.Request.Body, body => (body.RequiredStringOrArray(name), ReadContext(body, key)));

    /// <summary>Reference §6.6: Base64, at most 50 bytes, required for a convergent key.</summary>
    private static byte[]? ReadContext(JsonBody body, KmsKey key)
    {
        string? text = body.String("context");
        if (text is null)
        {
            return key.IsConvergent ? throw KmsFault.Invalid("context: required for a convergent key") : null;
        }

        byte[] context = JsonBody.DecodeBase64(text, "context");
        return context.Length <= MaxContextBytes ? context : throw KmsFault.Invalid("context: at most 50 bytes");
    }

    private static byte[] ReadSignData(JsonBody body)
    {
        byte[] data = JsonBody.DecodeBase64(body.RequiredString("data"), "data");
        return data.Length <= MaxSignBytes ? data : throw KmsFault.Invalid("data: at most 8 KB (8192 bytes)");
    }

    private static void CheckPlaintextSize(KmsKey key, byte[][] plaintexts)
    {
        if (key.KeyType == KeyRules.Rsa2048 && plaintexts.Any(p => p.Length > MaxRsaPlaintextBytes))
        {
            throw KmsFault.Invalid("plaintext: at most 190 bytes for an RSA2048 key");
        }

        if (plaintexts.Sum(p => (long)p.Length) > MaxAesPlaintextBytes)
        {
            throw KmsFault.Invalid("plaintext: at most 32 KB (32768 bytes) per request, all items together");
        }
    }

    /// <summary>Encrypts under the current version: <c>ncpkms:v{current}:</c> + Base64(payload).</summary>
    private static string Seal(KmsKey key, byte[] plaintext, byte[]? context)
    {
        KmsKeyVersion current = key.Versions[^1];
        return KmsPrefix.Format(current.Version, VersionCrypto.Encrypt(key, current, plaintext, context));
    }

    /// <summary>Decrypts with the version the prefix names. Inferred: a ciphertext that does not decrypt (edited, or another context) is 400.</summary>
    private static byte[] Open(KmsKey key, string ciphertext, byte[]? context)
    {
        (int version, byte[] payload) = KmsPrefix.Parse(ciphertext, "ciphertext");
        try
        {
            return VersionCrypto.Decrypt(key, EnabledVersion(key, version), payload, context);
        }
        catch (CryptographicException)
        {
            throw KmsFault.Invalid("ciphertext: does not decrypt with version " + version + " of this key and the given context");
        }
    }

    /// <summary>Reference §6.4: a disabled version cannot decrypt, verify or give its public key (422).</summary>
    private static KmsKeyVersion EnabledVersion(KmsKey key, int version)
    {
        KmsKeyVersion found = KeyAccess.FindVersion(key, version);
        return found.Status == KeyRules.Enable ? found : throw KmsFault.InvalidStatus("Version " + version + " of the key is disabled");
    }
}
