using System;
using System.Text.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Json;

/// <summary>
/// Reads and validates a Create Key body (reference §8.1.2). Types are strict (a quoted number or boolean is
/// refused): the emulator should expose a client that sends the wrong JSON type, even if the real service
/// might coerce it. Unknown properties are ignored. Names are case-sensitive, as in the documented examples.
/// </summary>
internal static class CreateKeyRequest
{
    /// <summary>Returns the key to create, or null with <paramref name="error"/> saying which rule failed.</summary>
    public static NewKeySpec? Parse(ReadOnlyMemory<byte> body, out string? error)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Read(document.RootElement, out error)
                : Invalid("The body must be a JSON object", out error);
        }
        catch (JsonException)
        {
            return Invalid("The body is not valid JSON", out error);
        }
    }

    private static NewKeySpec? Read(JsonElement root, out string? error)
    {
        if (!TryReadString(root, "keyName", required: true, out string? keyName) || !KeyRules.IsValidKeyName(keyName!))
        {
            return Invalid("keyName: " + KeyRules.KeyNameRule, out error);
        }

        if (!TryReadString(root, "keyType", required: true, out string? keyType) || !KeyRules.IsKeyType(keyType!))
        {
            return Invalid("keyType: one of AES256, RSA2048, ECDSA", out error);
        }

        if (!TryReadString(root, "protectionType", required: true, out string? protection) || !KeyRules.IsProtectionType(protection!))
        {
            return Invalid("protectionType: required, one of BASIC, COMMON_HSM", out error);
        }

        if (!TryReadBoolean(root, "isAutoRotation", required: true, out bool autoRotation))
        {
            return Invalid("isAutoRotation: required boolean", out error);
        }

        if (!TryReadRotationPeriod(root, autoRotation, out int period, out error)
            || !TryReadConvergent(root, keyType!, out bool convergent, out error)
            || !TryReadMemo(root, out string memo, out error))
        {
            return null;
        }

        return new NewKeySpec
        {
            KeyName = keyName,
            KeyType = keyType!,
            ProtectionType = protection!,
            IsAutoRotation = autoRotation,
            RotationPeriod = period,
            IsConvergent = convergent,
            Memo = memo,
        };
    }

    private static bool TryReadRotationPeriod(JsonElement root, bool autoRotation, out int period, out string? error)
    {
        period = KeyRules.DefaultRotationPeriod;
        error = null;
        if (!root.TryGetProperty("rotationPeriod", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (!autoRotation)
        {
            error = "rotationPeriod: allowed only with isAutoRotation true";
            return false;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out period)
            || period < KeyRules.MinRotationPeriod || period > KeyRules.MaxRotationPeriod)
        {
            error = "rotationPeriod: integer 1-730";
            return false;
        }

        return true;
    }

    private static bool TryReadConvergent(JsonElement root, string keyType, out bool convergent, out string? error)
    {
        error = null;
        if (!TryReadBoolean(root, "isConvergent", required: false, out convergent))
        {
            error = "isConvergent: boolean";
            return false;
        }

        if (convergent && keyType != KeyRules.Aes256)
        {
            error = "isConvergent: true only with keyType AES256";
            return false;
        }

        return true;
    }

    private static bool TryReadMemo(JsonElement root, out string memo, out string? error)
    {
        error = null;
        if (!TryReadString(root, "memo", required: false, out string? value))
        {
            memo = string.Empty;
            error = "memo: string";
            return false;
        }

        memo = value ?? string.Empty;
        // Counted in UTF-16 code units; the reference says "0-100 characters" without defining characters.
        if (memo.Length > KeyRules.MaxMemoLength)
        {
            error = "memo: at most 100 characters";
            return false;
        }

        return true;
    }

    /// <summary>False when the property has the wrong type, or is absent/null while required.</summary>
    private static bool TryReadString(JsonElement root, string name, bool required, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static bool TryReadBoolean(JsonElement root, string name, bool required, out bool value)
    {
        value = false;
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return !required;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }

        value = element.GetBoolean();
        return true;
    }

    private static NewKeySpec? Invalid(string why, out string? error)
    {
        error = why;
        return null;
    }
}
