using System;
using System.Text.Json;
using NcpKms.Core;

namespace NcpKms;

/// <summary>A KMS master key, from Get Key List (fewer fields) or Get Key Info (all fields).</summary>
public sealed class Key
{
    public string KeyTag { get; private init; } = string.Empty;
    public string? KeyName { get; private init; }
    public string? KeyType { get; private init; }
    public string? Status { get; private init; }
    public string? ProtectionType { get; private init; }
    public bool? IsConvergent { get; private init; }
    public int? CurrentVersion { get; private init; }
    public bool? IsAutoRotation { get; private init; }
    public int? RotationPeriod { get; private init; }
    public DateTime? NextRotationDate { get; private init; }
    public DateTime? RegisterDate { get; private init; }
    public DateTime? DestroyDate { get; private init; }
    public string? Memo { get; private init; }
    public long? KeyId { get; private init; }
    public long? KeystoreId { get; private init; }
    public string? Nrn { get; private init; }
    public string? BaseUrl { get; private init; }

    public override string ToString() => KeyTag;

    /// <summary>Reads a key object; fields the operation does not return stay null.</summary>
    internal static Key FromJson(JsonElement json) => new()
    {
        KeyTag = JsonFields.RequiredString(json, "keyTag"),
        KeyName = JsonFields.String(json, "keyName"),
        KeyType = JsonFields.String(json, "keyType"),
        Status = JsonFields.String(json, "status"),
        ProtectionType = JsonFields.String(json, "protectionType"),
        IsConvergent = JsonFields.Bool(json, "isConvergent"),
        CurrentVersion = JsonFields.Int(json, "currentVersion"),
        IsAutoRotation = JsonFields.Bool(json, "isAutoRotation"),
        RotationPeriod = JsonFields.Int(json, "rotationPeriod"),
        NextRotationDate = JsonFields.EpochMilliseconds(json, "nextRotationDate"),
        RegisterDate = JsonFields.EpochMilliseconds(json, "registerDate"),
        DestroyDate = JsonFields.EpochMilliseconds(json, "destroyDate"),
        Memo = JsonFields.String(json, "memo"),
        KeyId = JsonFields.Long(json, "keyId"),
        KeystoreId = JsonFields.Long(json, "keystoreId"),
        Nrn = JsonFields.String(json, "nrn"),
        BaseUrl = JsonFields.String(json, "baseUrl"),
    };
}
