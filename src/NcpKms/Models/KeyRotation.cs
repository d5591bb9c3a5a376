using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>The result of Rotate Key: the key's new current version.</summary>
public sealed class KeyRotation
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The new current version.</summary>
    public int Version { get; private init; }

    /// <summary>When the rotation happened (UTC, to the millisecond).</summary>
    public DateTime RotatedDate { get; private init; }

    public override string ToString() => $"{KeyTag} v{Version}";

    /// <summary>A rotation learnt from the key's versions after its own answer was lost.</summary>
    internal static KeyRotation Recovered(string keyTag, int version, DateTime rotatedDate) =>
        new() { KeyTag = keyTag, Version = version, RotatedDate = rotatedDate };

    internal static KeyRotation FromJson(JsonElement json) => new()
    {
        KeyTag = JsonFields.RequiredString(json, "keyTag"),
        Version = JsonFields.RequiredInt(json, "version"),
        RotatedDate = JsonFields.RequiredDate(json, "rotatedDate"),
    };
}
