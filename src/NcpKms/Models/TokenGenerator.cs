using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>A key's token generator, from Get Token Generator: what issues the key's access and refresh tokens.</summary>
public sealed class TokenGenerator
{
    public string KeyTag { get; private init; } = string.Empty;
    public string? TokenGeneratorId { get; private init; }

    /// <summary>ACTIVE or INACTIVE.</summary>
    public string? Status { get; private init; }

    public DateTime? EnabledDate { get; private init; }
    public DateTime? DisabledDate { get; private init; }

    /// <summary>How many tokens this generator has issued.</summary>
    public int? IssuedTokenCount { get; private init; }

    public override string ToString() => $"{KeyTag} {TokenGeneratorId}";

    /// <summary>The answer names no key: the key tag is the one asked about.</summary>
    internal static TokenGenerator FromJson(string keyTag, JsonElement json) => new()
    {
        KeyTag = keyTag,
        TokenGeneratorId = JsonFields.String(json, "tokenGeneratorId"),
        Status = JsonFields.String(json, "status"),
        EnabledDate = JsonFields.EpochMilliseconds(json, "enabledDate"),
        DisabledDate = JsonFields.EpochMilliseconds(json, "disabledDate"),
        IssuedTokenCount = JsonFields.Int(json, "issuedTokenCount"),
    };
}
