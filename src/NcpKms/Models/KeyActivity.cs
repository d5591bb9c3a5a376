using System;
using System.Globalization;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>One use of a key, from Get Key Activity Logs or Get Latest Use Info.</summary>
public sealed class KeyActivity
{
    /// <summary>When it happened (UTC).</summary>
    public DateTime? Timestamp { get; private init; }

    public string KeyTag { get; private init; } = string.Empty;
    public string? KeyName { get; private init; }

    /// <summary>CONSOLE, API or SYSTEM (automatic rotation, scheduled deletion).</summary>
    public string? RequestType { get; private init; }

    /// <summary>The account that made the request.</summary>
    public string? RequestorId { get; private init; }

    public string? RequestorIp { get; private init; }

    /// <summary>The API called.</summary>
    public string? Action { get; private init; }

    public string? Result { get; private init; }

    /// <summary>The authentication the request used (account signature or token).</summary>
    public string? AuthType { get; private init; }

    public string? Message { get; private init; }

    public override string ToString() => $"{Timestamp:yyyy-MM-dd HH:mm:ss} {Action} {Result}";

    /// <summary>
    /// Reads one log item: timestamp and message at the top, the rest under data.kmsKey, data.requestor and
    /// data.api (names matched case-insensitively: the docs spell both kmsKey and KmsKey, §11 #9). The key
    /// tag is the one asked about, since every item of the answer is about that key.
    /// </summary>
    internal static KeyActivity FromJson(string keyTag, JsonElement json)
    {
        JsonElement data = Child(json, "data");
        JsonElement key = Child(data, "kmsKey");
        JsonElement requestor = Child(data, "requestor");
        JsonElement api = Child(data, "api");
        return new KeyActivity
        {
            Timestamp = ReadTimestamp(json, "timestamp"),
            KeyTag = keyTag,
            KeyName = JsonFields.String(key, "keyName"),
            RequestType = JsonFields.String(requestor, "requestType"),
            RequestorId = JsonFields.String(requestor, "id"),
            RequestorIp = JsonFields.String(requestor, "ip"),
            Action = JsonFields.String(api, "action"),
            Result = JsonFields.String(api, "result"),
            AuthType = JsonFields.String(api, "type"),
            Message = JsonFields.String(json, "message"),
        };
    }

    /// <summary>A nested object, or an undefined element (whose fields all read as absent) when there is none.</summary>
    private static JsonElement Child(JsonElement parent, string name) =>
        JsonFields.TryGet(parent, name, out JsonElement child) && child.ValueKind == JsonValueKind.Object ? child : default;

    /// <summary>
    /// The docs give an ISO-8601 string; one without an offset is taken as UTC. Epoch milliseconds, the
    /// form of every other KMS date, are accepted too.
    /// </summary>
    private static DateTime? ReadTimestamp(JsonElement json, string name)
    {
        if (!JsonFields.TryGet(json, name, out JsonElement value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return JsonFields.EpochMilliseconds(json, name);
        string text = JsonFields.RequiredString(json, name);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
            ? parsed.UtcDateTime
            : throw new FormatException($"The field '{name}' is not an ISO-8601 date: '{text}'.");
    }
}
