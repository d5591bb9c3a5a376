using System;
using System.Collections.Immutable;

namespace NcpKms.Emulator.State;

/// <summary>
/// One key as stored. Immutable: the store swaps in a new instance on every change, so a reader that took a
/// reference under the lock can serialise it afterwards without the lock and without seeing a half-made change.
/// </summary>
internal sealed record KmsKey
{
    public required long KeyId { get; init; }

    public required string KeyTag { get; init; }

    public required string KeyName { get; init; }

    public required string KeyType { get; init; }

    public required string Status { get; init; }

    public required long StatusDate { get; init; }

    public required string ProtectionType { get; init; }

    public required string Memo { get; init; }

    public required bool IsConvergent { get; init; }

    public required bool IsAutoRotation { get; init; }

    /// <summary>Kept (default 90) even while auto rotation is off, so enabling it later has a period to use.</summary>
    public required int RotationPeriod { get; init; }

    public required long? NextRotationDate { get; init; }

    public required long RegisterDate { get; init; }

    /// <summary>Set only while the key is in REVOKE: the end of the 72-hour deletion wait.</summary>
    public required long? DestroyDate { get; init; }

    /// <summary>Versions in ascending order, numbered 1..N without gaps; the last one is current.</summary>
    public required ImmutableArray<KmsKeyVersion> Versions { get; init; }

    /// <summary>The key's token generator (reference §8.5), kept as INACTIVE after it is deleted; null before the first one.</summary>
    public TokenGenerator? TokenGenerator { get; init; }

    /// <summary>Reference §8.6: the per-key IP ACL applies to token requests only.</summary>
    public bool IsAclEnabled { get; init; }

    public ImmutableArray<string> AllowedIps { get; init; } = ImmutableArray<string>.Empty;

    public int CurrentVersion => Versions[^1].Version;

    /// <summary>Version <paramref name="version"/>, or null when the key has no such version.</summary>
    public KmsKeyVersion? FindVersion(int version) =>
        version >= 1 && version <= Versions.Length ? Versions[version - 1] : null;
}

/// <summary>One key version (reference §6.4) with its own key material.</summary>
internal sealed record KmsKeyVersion(int Version, string Status, long StatusDate, long RotatedDate, KeyMaterial Material);

/// <summary>A token generator (reference §8.5.2). Replacing it gives a new id, which invalidates every token it issued.</summary>
internal sealed record TokenGenerator(string Id, string Status, long EnabledDate, long? DisabledDate, int IssuedTokenCount)
{
    public bool IsActive => Status == KeyRules.GeneratorActive;
}
