using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>One version of a key, from Get Key Version List or Enable/Disable Key Version.</summary>
public sealed class KeyVersion
{
    public string KeyTag { get; private init; } = string.Empty;
    public int Version { get; private init; }
    public string? Status { get; private init; }

    /// <summary>Whether this is the key's current version; null when the answer did not say (Enable/Disable Key Version).</summary>
    public bool? IsCurrent { get; private init; }

    public DateTime? RotatedDate { get; private init; }
    public DateTime? StatusDate { get; private init; }

    public override string ToString() => $"{KeyTag} v{Version}";

    /// <param name="currentVersion">The key's current version, or null when the answer does not name it.</param>
    internal static KeyVersion FromJson(string keyTag, int? currentVersion, JsonElement json)
    {
        int version = JsonFields.RequiredInt(json, "version");
        return new KeyVersion
        {
            KeyTag = keyTag,
            Version = version,
            Status = JsonFields.String(json, "status"),
            IsCurrent = currentVersion is null ? null : version == currentVersion,
            RotatedDate = JsonFields.EpochMilliseconds(json, "rotatedDate"),
            StatusDate = JsonFields.EpochMilliseconds(json, "statusDate"),
        };
    }
}
