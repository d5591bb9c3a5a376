using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NcpKms.Emulator.State;

/// <summary>
/// A JSON value of the state file with its path (<c>keys[2].versions[0]</c>), and typed readers that refuse
/// a missing or mistyped value with an <see cref="InvalidDataException"/> naming that path, so a hand-edited
/// file that breaks says where.
/// </summary>
internal readonly record struct StateElement(JsonElement Value, string Path)
{
    public string String(string name) => Read(name, JsonValueKind.String, "a string").GetString()!;

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public string OneOf(string name, params string[] allowed)
    {
        string value = String(name);
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Invalid(name, "one of " + string.Join(", ", allowed) + ", not '" + value + "'");
    }

    public long Long(string name) =>
        Read(name, JsonValueKind.Number, "an integer").TryGetInt64(out long number) ? number : throw Invalid(name, "an integer");

    public long? NullableLong(string name) => IsNull(name) ? null : Long(name);

    public int Int(string name, int min, int max)
    {
        long number = Long(name);
        return number >= min && number <= max ? (int)number : throw Invalid(name, "an integer from " + min + " to " + max);
    }

    public bool Bool(string name) =>
        Property(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : throw Invalid(name, "true or false");

    public byte[] Base64(string name)
    {
        string text = String(name);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Invalid(name, "Base64 text");
        }
    }

    public byte[]? NullableBase64(string name) => IsNull(name) ? null : Base64(name);

    public StateElement? NullableObject(string name) => IsNull(name) ? null : Child(name, Read(name, JsonValueKind.Object, "an object or null"));

    public string[] StringArray(string name) =>
        Array(name).Select(item => item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : throw new InvalidDataException(item.Path + ": expected a string")).ToArray();

    public IEnumerable<StateElement> Array(string name)
    {
        JsonElement array = Read(name, JsonValueKind.Array, "an array");
        string path = Path + "." + name;
        return array.EnumerateArray().Select((item, i) => new StateElement(item, path + "[" + i + "]"));
    }

    public InvalidDataException Invalid(string name, string expected) => new(Path + "." + name + ": expected " + expected);

    private bool IsNull(string name) => Value.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null;

    private StateElement Child(string name, JsonElement value) => new(value, Path + "." + name);

    private JsonElement Read(string name, JsonValueKind kind, string expected) =>
        Property(name) is JsonElement value && value.ValueKind == kind ? value : throw Invalid(name, expected);

    private JsonElement Property(string name) =>
        Value.TryGetProperty(name, out JsonElement value) ? value : throw new InvalidDataException(Path + "." + name + ": missing");
}
