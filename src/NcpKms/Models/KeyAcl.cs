using System;
using System.Collections.Generic;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>A key's IP ACL for token requests, from Get ACL Rule List.</summary>
public sealed class KeyAcl
{
    public string KeyTag { get; private init; } = string.Empty;

    /// <summary>True when only token requests from AllowedIpList are accepted (an empty list then denies all).</summary>
    public bool? IsAclEnabled { get; private init; }

    public string[] AllowedIpList { get; private init; } = Array.Empty<string>();

    public override string ToString() => $"{KeyTag} {(IsAclEnabled == true ? "enabled" : "disabled")}: {string.Join(", ", AllowedIpList)}";

    /// <summary>
    /// An absent list is empty (the docs answer [] for none). The key tag is the one asked about: NCP's
    /// examples show tags masked in answers, and a masked tag would not pipe on to the next cmdlet.
    /// </summary>
    internal static KeyAcl FromJson(string keyTag, JsonElement json)
    {
        var addresses = new List<string>();
        if (JsonFields.TryGet(json, "allowedIpList", out _))
        {
            foreach (JsonElement item in JsonFields.RequiredArray(json, "allowedIpList").EnumerateArray())
                addresses.Add(item.GetString() ?? throw new FormatException("The field 'allowedIpList' holds a null address."));
        }

        return new KeyAcl
        {
            KeyTag = keyTag,
            IsAclEnabled = JsonFields.Bool(json, "isAclEnabled"),
            AllowedIpList = addresses.ToArray(),
        };
    }
}
