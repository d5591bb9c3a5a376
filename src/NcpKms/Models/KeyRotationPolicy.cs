using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>
/// A key's automatic rotation settings as the rotation-policy calls reported them. A field no answer
/// reported is null (Disable Auto Rotation, for one, reports only that it is off).
/// </summary>
public sealed class KeyRotationPolicy
{
    public string KeyTag { get; private init; } = string.Empty;

    public bool? IsAutoRotation { get; private init; }

    /// <summary>Days between automatic rotations.</summary>
    public int? RotationPeriod { get; private init; }

    /// <summary>When the next automatic rotation is due (UTC).</summary>
    public DateTime? NextRotationDate { get; private init; }

    public override string ToString() => KeyTag;

    /// <summary>This policy updated by a later answer: what the later one reports wins, the rest is kept.</summary>
    public KeyRotationPolicy Merge(KeyRotationPolicy later) => new()
    {
        KeyTag = KeyTag,
        IsAutoRotation = later.IsAutoRotation ?? IsAutoRotation,
        RotationPeriod = later.RotationPeriod ?? RotationPeriod,
        NextRotationDate = later.NextRotationDate ?? NextRotationDate,
    };

    internal static KeyRotationPolicy FromJson(string keyTag, JsonElement json) => new()
    {
        KeyTag = keyTag,
        IsAutoRotation = JsonFields.Bool(json, "isAutoRotation"),
        RotationPeriod = JsonFields.Int(json, "rotationPeriod"),
        NextRotationDate = JsonFields.EpochMilliseconds(json, "nextRotationDate"),
    };
}
