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

    /// <summary>Versions in ascending order; the last one is current.</summary>
    public required ImmutableArray<KmsKeyVersion> Versions { get; init; }

    public int CurrentVersion => Versions[^1].Version;
}

/// <summary>One key version (reference §6.4).</summary>
internal sealed record KmsKeyVersion(int Version, string Status, long StatusDate, long RotatedDate);
