using System;
using System.Text.Json;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Json;

/// <summary>
/// A request body as a JSON object, with typed readers that refuse with 400 INVALID_REQUEST (naming the
/// field) when a value is missing or has the wrong JSON type. Types are strict (a quoted number or boolean is
/// refused): the emulator should expose a client that sends the wrong JSON type, even if the real service
/// might coerce it. Unknown properties are ignored; a null value counts as absent. Names are case-sensitive,
/// as in the documented examples.
/// </summary>
internal sealed class JsonBody : IDisposable
{
    private readonly JsonDocument? _document;

    private JsonBody(JsonDocument? document) => _document = document;

    /// <summary>Parses the body; with <paramref name="optional"/> an empty body reads as an object without fields.</summary>
    public static JsonBody Parse(ReadOnlyMemory<byte> body, bool optional = false)
    {
        if (optional && body.IsEmpty)
        {
            return new JsonBody(null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw KmsFault.Invalid("The body is not valid JSON");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw KmsFault.Invalid("The body must be a JSON object");
        }

        return new JsonBody(document);
    }

    /// <summary>Parses the body, reads what <paramref name="read"/> takes from it and releases the document.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> body, Func<JsonBody, T> read, bool optional = false)
    {
        using JsonBody json = Parse(body, optional);
        return read(json);
    }

    /// <summary>The value of a field, or null when it is absent or JSON null.</summary>
    public JsonElement? Find(string name) =>
        _document is not null && _document.RootElement.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public string RequiredString(string name) => String(name) ?? throw Missing(name, "string");

    public string? String(string name) => Find(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw WrongType(name, "string"),
    };

    public bool RequiredBoolean(string name) => Boolean(name) ?? throw Missing(name, "boolean");

    public bool? Boolean(string name) => Find(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw WrongType(name, "boolean"),
    };

    public int RequiredInt32(string name) => Int32(name) ?? throw Missing(name, "integer");

    public int? Int32(string name) => Find(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int number) => number,
        _ => throw WrongType(name, "integer"),
    };

    /// <summary>Reference §4: crypto inputs are a String or an Array of Strings, and the answer mirrors the form.</summary>
    public StringOrArray RequiredStringOrArray(string name)
    {
        JsonElement value = Find(name) ?? throw Missing(name, "string or array of strings");
        if (value.ValueKind == JsonValueKind.String)
        {
            return new StringOrArray([value.GetString()!], IsArray: false);
        }

        return new StringOrArray(ReadStringArray(name, value), IsArray: true);
    }

    public string[] RequiredStringArray(string name) =>
        ReadStringArray(name, Find(name) ?? throw Missing(name, "array of strings"));

    public void Dispose() => _document?.Dispose();

    /// <summary>
    /// Reference §4: binary values travel as standard Base64. Inferred: an empty value is refused like a
    /// missing one, as every binary field the reference lists is required when present.
    /// </summary>
    public static byte[] DecodeBase64(string value, string name)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw KmsFault.Invalid(name + ": not valid Base64");
        }

        return bytes.Length > 0 ? bytes : throw KmsFault.Invalid(name + ": empty");
    }

    private static string[] ReadStringArray(string name, JsonElement value)
    {
        // Inferred: an empty list is refused like a missing field; the reference marks these fields required.
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw WrongType(name, "non-empty array of strings");
        }

        var items = new string[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            items[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(name, "array of strings");
        }

        return items;
    }

    private static KmsFault Missing(string name, string type) => KmsFault.Invalid(name + ": required " + type);

    private static KmsFault WrongType(string name, string type) => KmsFault.Invalid(name + ": must be a " + type);
}

/// <summary>A field that was a single String or an Array of Strings; answers take the same form.</summary>
internal sealed record StringOrArray(string[] Items, bool IsArray)
{
    /// <summary>The results in the input's form: the single string, or the array.</summary>
    public object Mirror(string[] results) => IsArray ? results : results[0];
}
