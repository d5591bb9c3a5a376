using System;
using NcpKms.Emulator.Kms;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Json;

/// <summary>Reads and validates a Create Key body (reference §8.1.2); a broken rule is a 400 INVALID_REQUEST naming the field.</summary>
internal static class CreateKeyRequest
{
    public static NewKeySpec Parse(ReadOnlyMemory<byte> body)
    {
        using JsonBody json = JsonBody.Parse(body);
        string keyName = ReadKeyName(json);
        string keyType = json.String("keyType") is string type && KeyRules.IsKeyType(type)
            ? type
            : throw KmsFault.Invalid("keyType: required, one of AES256, RSA2048, ECDSA");
        string protection = json.String("protectionType") is string p && KeyRules.IsProtectionType(p)
            ? p
            : throw KmsFault.Invalid("protectionType: required, one of BASIC, COMMON_HSM");
        bool autoRotation = json.RequiredBoolean("isAutoRotation");
        return new NewKeySpec
        {
            KeyName = keyName,
            KeyType = keyType,
            ProtectionType = protection,
            IsAutoRotation = autoRotation,
            RotationPeriod = ReadRotationPeriod(json, autoRotation),
            IsConvergent = ReadConvergent(json, keyType),
            Memo = ReadMemo(json, required: false),
        };
    }

    /// <summary>Shared with Update Key Name, which has the same rules (reference §8.1.5).</summary>
    public static string ReadKeyName(JsonBody json) =>
        json.String("keyName") is string name && KeyRules.IsValidKeyName(name)
            ? name
            : throw KmsFault.Invalid("keyName: " + KeyRules.KeyNameRule);

    /// <summary>Shared with Update Memo (reference §8.1.6), where it is required; optional at creation, absent reads as empty.</summary>
    public static string ReadMemo(JsonBody json, bool required)
    {
        string memo = required ? json.RequiredString("memo") : json.String("memo") ?? string.Empty;
        // Counted in UTF-16 code units; the reference says "0-100 characters" without defining characters.
        return memo.Length <= KeyRules.MaxMemoLength ? memo : throw KmsFault.Invalid("memo: at most 100 characters");
    }

    /// <summary>Shared with Update Rotation Period (reference §8.2.4).</summary>
    public static int CheckRotationPeriod(int period) =>
        period is >= KeyRules.MinRotationPeriod and <= KeyRules.MaxRotationPeriod
            ? period
            : throw KmsFault.Invalid("rotationPeriod: integer 1-730");

    private static int ReadRotationPeriod(JsonBody json, bool autoRotation)
    {
        int? period = json.Int32("rotationPeriod");
        if (period is null)
        {
            return KeyRules.DefaultRotationPeriod;
        }

        return autoRotation ? CheckRotationPeriod(period.Value) : throw KmsFault.Invalid("rotationPeriod: allowed only with isAutoRotation true");
    }

    private static bool ReadConvergent(JsonBody json, string keyType)
    {
        bool convergent = json.Boolean("isConvergent") ?? false;
        return !convergent || keyType == KeyRules.Aes256 ? convergent : throw KmsFault.Invalid("isConvergent: true only with keyType AES256");
    }
}
