using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>
/// Finds out what a rotation whose answer was lost did, so a key is never rotated twice for one request.
/// The process keeps, per key, the last current version it has seen and the versions its own rotations
/// were answered with. After a lost answer the key's versions are read: a version made since (newer than
/// the one known before sending or, for a key not seen before, made after the request was sent on the
/// service's clock), not version 1 (creation) and not claimed by another answered rotation, is this
/// request's rotation. None means it was not applied; more than one means others rotated the key too and
/// the outcome stays unknown. Rotations of one key by this process take turns (-ThrottleLimit, or parallel
/// runspaces), so a recovery never mistakes the version of another rotation still in flight for its own.
/// </summary>
public sealed class RotationRecovery : IDisposable
{
    /// <summary>For keys not seen before: how much earlier than the request a new version may seem (Date grain, latency).</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, KeyLedger> Ledgers = new(StringComparer.Ordinal);

    /// <summary>
    /// How many keys the process remembers. Past that, keys with no rotation in flight are forgotten, so a run
    /// over 100,000 keys keeps memory flat; a forgotten key is judged by time, as a key never seen is.
    /// </summary>
    private const int MaxLedgers = 4096;

    private readonly KmsConnection _connection;
    private readonly string _keyTag;
    private readonly KeyLedger _ledger;
    private readonly int? _knownBefore;
    private readonly DateTimeOffset _sentAt = DateTimeOffset.UtcNow;

    private RotationRecovery(KmsConnection connection, string keyTag, KeyLedger ledger)
    {
        _connection = connection;
        _keyTag = keyTag;
        _ledger = ledger;
        _knownBefore = _ledger.Current;
    }

    /// <summary>
    /// Waits for the key's turn, then notes what is known of the key just before a rotation request is sent.
    /// The turn is held until the recovery is disposed, once the rotation is answered or recovered.
    /// </summary>
    public static async Task<RotationRecovery> BeforeAsync(KmsConnection connection, string keyTag, CancellationToken cancellationToken)
    {
        if (Ledgers.Count > MaxLedgers) ForgetIdleKeys();
        KeyLedger ledger = Ledgers.GetOrAdd(connection.Endpoint + "|" + keyTag, _ => new KeyLedger());
        await ledger.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new RotationRecovery(connection, keyTag, ledger);
    }

    public void Dispose() => _ledger.Turn.Release();

    private static void ForgetIdleKeys()
    {
        foreach (KeyValuePair<string, KeyLedger> entry in Ledgers)
        {
            if (entry.Value.Turn.CurrentCount == 1) Ledgers.TryRemove(entry);
        }
    }

    /// <summary>The rotation was answered: its version is this request's, never to be claimed by another.</summary>
    public void Answered(int version) => _ledger.Claim(version);

    public async Task<KmsResult<KeyRotation>> RecoverAsync(KmsException lost, CancellationToken cancellationToken)
    {
        KmsNotices.Verbose($"Rotate Key for key '{_keyTag}' got no answer ({lost.Reason}); reading its versions to find out whether it was rotated.");
        KmsResult<IReadOnlyList<KeyVersion>> versions = await ReadVersionsAsync(lost, cancellationToken).ConfigureAwait(false);
        List<KeyVersion> made = MadeSinceSending(versions);
        if (made.Count == 0) throw Outcome(lost, "RotationNotApplied", "the key's versions show no version made since the request: the key was not rotated. Rotating it again is safe.", unknown: false);
        if (made.Count > 1 || !_ledger.Claim(made[0].Version))
        {
            throw Outcome(lost, lost.Reason, $"the key got {made.Count} new version(s) since the request, from other clients too, so whether this request rotated it "
                + "cannot be told: check with Get-NcpKmsKeyVersion before rotating it again.", unknown: true);
        }

        KmsNotices.Verbose($"Key '{_keyTag}' was rotated to version {made[0].Version} by the request that got no answer.");
        return new KmsResult<KeyRotation>(KeyRotation.Recovered(_keyTag, made[0].Version, made[0].RotatedDate ?? versions.ServerDate?.UtcDateTime ?? DateTime.UtcNow),
            versions.RequestLine, versions.StatusCode, versions.RequestId, versions.Elapsed, versions.ServerDate);
    }

    private async Task<KmsResult<IReadOnlyList<KeyVersion>>> ReadVersionsAsync(KmsException lost, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.GetKeyVersionsAsync(_keyTag, cancellationToken).ConfigureAwait(false);
        }
        catch (KmsException unreadable)
        {
            throw Outcome(lost, lost.Reason, $"reading the key's versions to find out failed too ({unreadable.Reason}): check with Get-NcpKmsKeyVersion before rotating it again.", unknown: true);
        }
    }

    private List<KeyVersion> MadeSinceSending(KmsResult<IReadOnlyList<KeyVersion>> versions)
    {
        // On the service's clock: the Date of the version read, less the local time that passed since sending.
        DateTimeOffset serviceSentAt = (versions.ServerDate ?? DateTimeOffset.UtcNow) - (DateTimeOffset.UtcNow - _sentAt);
        DateTime threshold = (serviceSentAt - ClockTolerance).UtcDateTime;
        return versions.Value
            .Where(version => version.Version >= 2 && !_ledger.IsClaimed(version.Version))
            .Where(version => _knownBefore is int known ? version.Version > known : version.RotatedDate >= threshold)
            .ToList();
    }

    private KmsException Outcome(KmsException lost, string reason, string what, bool unknown) =>
        new(reason, lost.Kind, $"Rotate Key for key '{_keyTag}' got no answer ({lost.Reason}), and {what}", lost)
        {
            KeyTag = _keyTag,
            StatusCode = lost.StatusCode,
            RequestId = lost.RequestId,
            OutcomeUnknown = unknown,
        };

    /// <summary>What this process knows of one key's versions.</summary>
    private sealed class KeyLedger
    {
        private readonly HashSet<int> _claimed = new();

        /// <summary>Held by the one rotation of the key in flight.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int? Current { get; private set; }

        /// <summary>Marks a version as made by an answered (or recovered) rotation; false when another already had it.</summary>
        public bool Claim(int version)
        {
            lock (_claimed)
            {
                Current = Math.Max(Current ?? 0, version);
                return _claimed.Add(version);
            }
        }

        public bool IsClaimed(int version)
        {
            lock (_claimed) return _claimed.Contains(version);
        }
    }
}
