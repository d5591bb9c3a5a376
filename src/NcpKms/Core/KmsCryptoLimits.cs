using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace NcpKms.Core;

/// <summary>Which family of crypto operations a call belongs to; it decides which key types can serve it (ncp-kms-api.md §6.1).</summary>
public enum KmsKeyUse
{
    /// <summary>Encrypt, Decrypt, Re-encrypt, Create Custom Key: AES256 and RSA2048 keys.</summary>
    Encryption,

    /// <summary>Sign, Verify, Get Public Key: RSA2048 and ECDSA keys.</summary>
    Signing,
}

/// <summary>
/// The documented input limits of the crypto operations (ncp-kms-api.md §6.1, §6.9) and the ciphertext format
/// (§4.1), checked before any request so that a call the service would refuse is never sent. Every failure is
/// a KmsException naming the parameter and the limit.
/// </summary>
public static partial class KmsCryptoLimits
{
    public const string Aes256 = "AES256";
    public const string Rsa2048 = "RSA2048";
    public const string Ecdsa = "ECDSA";

    /// <summary>32 KB of plaintext per Encrypt request; for a list, all items together.</summary>
    public const int MaxPlaintextBytes = 32 * 1024;

    /// <summary>RSA-2048 with OAEP holds at most 190 bytes of plaintext.</summary>
    public const int MaxRsaPlaintextBytes = 190;

    public const int MaxSignDataBytes = 8 * 1024;

    /// <summary>
    /// The reference says the context is "Base64, ≤ 50 bytes": that could mean the Base64 text or the bytes it
    /// encodes. The raw bytes are checked, the reading that lets users reason about what they pass; if the
    /// service counts the Base64 text instead, it refuses contexts of 37 to 50 bytes itself (InvalidRequest).
    /// </summary>
    public const int MaxContextBytes = 50;

    private const string NotSent = " No request was sent.";

    /// <summary>Plaintext for Encrypt: no empty item, and at most 32 KB in all, whatever the key type.</summary>
    public static void CheckPlaintext(IReadOnlyList<byte[]> plaintexts, string parameterName = "Plaintext")
    {
        CheckNotEmpty(plaintexts, parameterName);
        long total = plaintexts.Sum(item => (long)item.Length);
        if (total > MaxPlaintextBytes)
            throw TooLarge("PlaintextTooLarge", parameterName, total, MaxPlaintextBytes, "KMS encrypts at most 32 KB (32768 bytes) per request");
    }

    /// <summary>The limit that depends on the key type: 190 bytes per item for an RSA2048 key.</summary>
    public static void CheckPlaintextForKeyType(IReadOnlyList<byte[]> plaintexts, string? keyType, string parameterName = "Plaintext")
    {
        if (!IsType(keyType, Rsa2048)) return;
        foreach (byte[] item in plaintexts)
        {
            if (item.Length > MaxRsaPlaintextBytes)
                throw TooLarge("PlaintextTooLarge", parameterName, item.Length, MaxRsaPlaintextBytes, "an RSA2048 key encrypts at most 190 bytes");
        }
    }

    /// <summary>Data for Sign and Verify: 1 byte to 8 KB.</summary>
    public static void CheckSignData(byte[] data, string parameterName = "Data")
    {
        CheckNotEmpty([data], parameterName);
        if (data.Length > MaxSignDataBytes)
            throw TooLarge("DataTooLarge", parameterName, data.Length, MaxSignDataBytes, "KMS signs at most 8 KB (8192 bytes) of data");
    }

    /// <summary>The convergent-encryption context: 1 to 50 bytes when given.</summary>
    public static void CheckContext(byte[]? context, string parameterName = "EncryptionContext")
    {
        if (context is null) return;
        CheckNotEmpty([context], parameterName);
        if (context.Length > MaxContextBytes)
            throw TooLarge("EncryptionContextTooLarge", parameterName, context.Length, MaxContextBytes, "an encryption context is at most 50 bytes");
    }

    /// <summary>Refuses a key whose type cannot serve the operation; an unknown type (null) passes, and the service decides.</summary>
    public static void CheckKeyType(string? keyType, KmsKeyUse use, string operation)
    {
        if (keyType is null) return;
        bool refused = use == KmsKeyUse.Encryption ? IsType(keyType, Ecdsa) : IsType(keyType, Aes256);
        if (!refused) return;
        string allowed = use == KmsKeyUse.Encryption ? "AES256 and RSA2048 keys" : "RSA2048 and ECDSA keys";
        throw new KmsException("UnsupportedKeyType", KmsErrorKind.InvalidArgument,
            $"The key is an {keyType.ToUpperInvariant()} key, and {operation} works only with {allowed}." + NotSent);
    }

    /// <summary>
    /// A ciphertext as Decrypt and Re-encrypt take it: "ncpkms:v{N}:" and the Base64 ciphertext. Surrounding
    /// whitespace (a line end read from a file) is not part of it and is removed; nothing else is changed.
    /// </summary>
    public static string CheckCiphertext(string? ciphertext, string parameterName = "Ciphertext")
    {
        string trimmed = ciphertext?.Trim() ?? string.Empty;
        if (CiphertextFormat().IsMatch(trimmed)) return trimmed;
        string shown = trimmed.Length == 0 ? "is empty" : trimmed.Length > 20 ? $"starts with '{trimmed[..20]}'" : $"is '{trimmed}'";
        throw new KmsException("InvalidCiphertext", KmsErrorKind.InvalidArgument,
            $"-{parameterName} {shown}, but a KMS ciphertext is 'ncpkms:v<version>:' followed by the ciphertext, exactly as Encrypt returned it." + NotSent);
    }

    /// <summary>The key version an "ncpkms:v{N}:" prefix names (ciphertexts, and signatures that carry it); null without one.</summary>
    public static int? VersionOf(string? value)
    {
        if (value is null) return null;
        Match match = VersionPrefix().Match(value);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    private static bool IsType(string? keyType, string expected) => string.Equals(keyType, expected, StringComparison.OrdinalIgnoreCase);

    private static void CheckNotEmpty(IReadOnlyList<byte[]> items, string parameterName)
    {
        if (items.Count == 0 || items.Any(item => item.Length == 0))
            throw new KmsException("EmptyInput", KmsErrorKind.InvalidArgument, $"-{parameterName} is empty (0 bytes)." + NotSent);
    }

    private static KmsException TooLarge(string reason, string parameterName, long size, int limit, string rule) =>
        new(reason, KmsErrorKind.InvalidArgument, $"-{parameterName} is {size} bytes, over the limit of {limit} bytes: {rule}." + NotSent);

    [GeneratedRegex(@"^ncpkms:v([0-9]{1,9}):")]
    private static partial Regex VersionPrefix();

    [GeneratedRegex(@"^ncpkms:v[0-9]{1,9}:\S+$")]
    private static partial Regex CiphertextFormat();
}
