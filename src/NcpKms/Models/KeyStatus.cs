using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>A key's status after Enable Key, Disable Key, Request Key Deletion or Cancel Key Deletion.</summary>
public sealed class KeyStatus
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>ENABLE, DISABLE or REVOKE (pending deletion).</summary>
    public string Status { get; private init; } = string.Empty;

    /// <summary>When the status changed (UTC, to the millisecond); null if the answer did not say.</summary>
    public DateTime? StatusDate { get; private init; }

    public override string ToString() => $"{KeyTag} {Status}";

    /// <summary>The key tag is the one the request named: the status calls never change it.</summary>
    internal static KeyStatus FromJson(string keyTag, JsonElement json) => new()
    {
        KeyTag = keyTag,
        Status = JsonFields.RequiredString(json, "status"),
        StatusDate = JsonFields.EpochMilliseconds(json, "statusDate"),
    };
}
