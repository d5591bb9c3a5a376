using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>The result of Migrate Key: a global key converted into a region-isolated key.</summary>
public sealed class KeyMigration
{
    /// <summary>The tag of the region-isolated key, as the answer names it (isolated keys may carry a region prefix).</summary>
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>The region the key now belongs to, as the answer names it.</summary>
    public string TargetRegion { get; private init; } = string.Empty;

    /// <summary>The tag of the global key that was migrated (and is deleted).</summary>
    public string SourceKeyTag { get; private init; } = string.Empty;

    public override string ToString() => $"{KeyTag} ({TargetRegion})";

    /// <summary>Fields the answer leaves out fall back to what was asked for.</summary>
    internal static KeyMigration FromJson(string sourceKeyTag, string targetRegion, JsonElement json) => new()
    {
        KeyTag = JsonFields.String(json, "keyTag") ?? sourceKeyTag,
        TargetRegion = JsonFields.String(json, "targetRegion") ?? targetRegion,
        SourceKeyTag = sourceKeyTag,
    };
}
