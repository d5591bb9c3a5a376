using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>One version of a key, from Get Key Version List.</summary>
public sealed class KeyVersion
{
    public string KeyTag { get; private init; } = string.Empty;
    public int Version { get; private init; }
    public string? Status { get; private init; }
    public bool IsCurrent { get; private init; }
    public DateTime? RotatedDate { get; private init; }
    public DateTime? StatusDate { get; private init; }

    public override string ToString() => $"{KeyTag} v{Version}";

    internal static KeyVersion FromJson(string keyTag, int? currentVersion, JsonElement json)
    {
        int version = JsonFields.RequiredInt(json, "version");
        return new KeyVersion
        {
            KeyTag = keyTag,
            Version = version,
            Status = JsonFields.String(json, "status"),
            IsCurrent = version == currentVersion,
            RotatedDate = JsonFields.EpochMilliseconds(json, "rotatedDate"),
            StatusDate = JsonFields.EpochMilliseconds(json, "statusDate"),
        };
    }
}
