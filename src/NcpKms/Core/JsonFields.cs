using System;
using System.Globalization;
using System.Text.Json;

namespace NcpKms.Core;

/// <summary>
/// Defensive reads of NCP's JSON: property names matched case-insensitively (the docs disagree on
/// "KeyList"/"keyList"), numbers accepted as numbers or numeric strings, booleans as true/"true",
/// null treated as absent. A required field that is missing or of the wrong type throws
/// <see cref="FormatException"/>, which the transport turns into NcpKms.InvalidResponse.
/// </summary>
public static class JsonFields
{
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object) return false;
        if (element.TryGetProperty(name, out JsonElement exact) && exact.ValueKind != JsonValueKind.Null)
        {
            value = exact;
            return true;
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    public static string? String(JsonElement element, string name) =>
        !TryGet(element, name, out JsonElement value) ? null
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw Mistyped(name, "a string", value),
        };

    public static long? Long(JsonElement element, string name)
    {
        if (!TryGet(element, name, out JsonElement value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)) return number;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)) return number;
        throw Mistyped(name, "an integer", value);
    }

    public static int? Int(JsonElement element, string name)
    {
        long? number = Long(element, name);
        if (number is null) return null;
        if (number is < int.MinValue or > int.MaxValue) throw new FormatException($"The field '{name}' is out of range: {number}.");
        return (int)number;
    }

    public static bool? Bool(JsonElement element, string name)
    {
        if (!TryGet(element, name, out JsonElement value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out bool flag) => flag,
            _ => throw Mistyped(name, "a boolean", value),
        };
    }

    /// <summary>An epoch-milliseconds date as a UTC DateTime, exact to the millisecond.</summary>
    public static DateTime? EpochMilliseconds(JsonElement element, string name)
    {
        long? milliseconds = Long(element, name);
        if (milliseconds is null) return null;
        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds.Value).UtcDateTime;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"The field '{name}' is not a valid epoch-milliseconds date: {milliseconds}.");
        }
    }

    public static string RequiredString(JsonElement element, string name) =>
        String(element, name) ?? throw Missing(name);

    public static int RequiredInt(JsonElement element, string name) =>
        Int(element, name) ?? throw Missing(name);

    public static DateTime RequiredDate(JsonElement element, string name) =>
        EpochMilliseconds(element, name) ?? throw Missing(name);

    public static JsonElement RequiredArray(JsonElement element, string name)
    {
        if (!TryGet(element, name, out JsonElement value)) throw Missing(name);
        return value.ValueKind == JsonValueKind.Array ? value : throw Mistyped(name, "an array", value);
    }

    private static FormatException Missing(string name) => new($"The field '{name}' is missing.");

    private static FormatException Mistyped(string name, string expected, JsonElement value) =>
        new($"The field '{name}' should be {expected} but is a JSON {value.ValueKind.ToString().ToLowerInvariant()}.");
}
