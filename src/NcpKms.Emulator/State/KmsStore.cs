using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading;

namespace NcpKms.Emulator.State;

/// <summary>
/// The in-memory keystore. One lock guards it: every operation is a few dictionary lookups or a bounded
/// slice, so contention stays short, and it makes compound changes (check name, then add; read version
/// count, then append) atomic under many concurrent requests. <see cref="Revision"/> counts the changes, so
/// the state file is written only when there is something new to write.
/// </summary>
internal sealed class KmsStore
{
    /// <summary>Per key; past it the oldest records are dropped, so a long benchmark cannot grow memory without limit.</summary>
    public const int ActivityCapacity = 10_000;

    private const string KeyTagAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int KeyTagLength = 64;

    private readonly object _gate = new();
    private readonly List<Entry> _ordered = [];
    private readonly Dictionary<string, Entry> _byTag = new(StringComparer.Ordinal);

    // Inferred: the reference only says names are unique in the keystore; case-sensitive uniqueness is assumed.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Keys that entered REVOKE, by destroy date. Entries may be stale (deletion cancelled); they are re-checked when due.</summary>
    private readonly PriorityQueue<string, long> _deletions = new();
    private long _nextKeyId = 1001;
    private long _revision;

    public KmsStore(int keystoreId) => KeystoreId = keystoreId;

    /// <summary>Random per emulator, unless <see cref="Restore"/> brings back a saved one.</summary>
    public int KeystoreId { get; private set; }

    /// <summary>Goes up with every change of what the state file holds: keys, versions, and key material generated on first use.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>New key material whose generation on first use counts as a change.</summary>
    public KeyMaterial NewMaterial(string keyType) => KeyMaterial.For(keyType, MarkChanged);

    /// <summary>Everything the state file keeps, taken at one instant.</summary>
    public StoreContents Snapshot()
    {
        lock (_gate)
        {
            return new StoreContents(KeystoreId, _nextKeyId, _ordered.ConvertAll(entry => entry.Key));
        }
    }

    /// <summary>Fills a new, empty store with saved contents (keys in their saved order, REVOKE deadlines rescheduled).</summary>
    public void Restore(StoreContents contents)
    {
        lock (_gate)
        {
            KeystoreId = contents.KeystoreId;
            _nextKeyId = contents.NextKeyId;
            foreach (KmsKey key in contents.Keys)
            {
                AddEntry(key);
            }
        }
    }

    /// <summary>Adds keys all-or-nothing; returns false with the offending name when one is taken or invalid.</summary>
    public bool TryAdd(IReadOnlyList<NewKeySpec> specs, long now, out IReadOnlyList<KmsKey> added, out string? conflict)
    {
        lock (_gate)
        {
            if (!TryAssignNames(specs, out string[] names, out conflict))
            {
                added = [];
                return false;
            }

            var keys = new KmsKey[specs.Count];
            for (int i = 0; i < specs.Count; i++)
            {
                keys[i] = Insert(specs[i], names[i], now);
            }

            MarkChanged();
            added = keys;
            return true;
        }
    }

    public bool TryGet(string keyTag, out KmsKey key)
    {
        lock (_gate)
        {
            if (_byTag.TryGetValue(keyTag, out Entry? entry))
            {
                key = entry.Key;
                return true;
            }
        }

        key = null!;
        return false;
    }

    /// <summary>One page of keys in creation order, plus the total count.</summary>
    public (KmsKey[] Items, int TotalCount) List(int pageNo, int pageSize)
    {
        lock (_gate)
        {
            long skip = (long)(pageNo - 1) * pageSize;
            int start = (int)Math.Min(skip, _ordered.Count);
            int take = Math.Min(pageSize, _ordered.Count - start);
            var items = new KmsKey[take];
            for (int i = 0; i < take; i++)
            {
                items[i] = _ordered[start + i].Key;
            }

            return (items, _ordered.Count);
        }
    }

    /// <summary>True when some key already has this name. Callable from inside <see cref="Update"/>'s change.</summary>
    public bool IsNameTaken(string keyName)
    {
        lock (_gate)
        {
            return _names.Contains(keyName);
        }
    }

    /// <summary>
    /// Replaces a key with what <paramref name="change"/> makes of it, atomically: the change runs under the
    /// store lock and may throw to refuse (the key is then unchanged). Returns the new key, or null when no
    /// key has the tag.
    /// </summary>
    public KmsKey? Update(string keyTag, Func<KmsKey, KmsKey> change)
    {
        lock (_gate)
        {
            if (!_byTag.TryGetValue(keyTag, out Entry? entry))
            {
                return null;
            }

            KmsKey before = entry.Key;
            KmsKey after = change(before);
            if (after.KeyName != before.KeyName)
            {
                _names.Remove(before.KeyName);
                _names.Add(after.KeyName);
            }

            if (after.Status == KeyRules.Revoke && before.Status != KeyRules.Revoke)
            {
                ScheduleDeletion(after);
            }

            entry.Key = after;
            MarkChanged();
            return after;
        }
    }

    /// <summary>Removes a key, with its activity log, unless <paramref name="check"/> throws; returns the removed key or null when none has the tag.</summary>
    public KmsKey? Remove(string keyTag, Action<KmsKey> check)
    {
        lock (_gate)
        {
            if (!_byTag.TryGetValue(keyTag, out Entry? entry))
            {
                return null;
            }

            check(entry.Key);
            Delete(entry);
            MarkChanged();
            return entry.Key;
        }
    }

    /// <summary>Deletes every REVOKE key whose destroy date has passed on the emulator clock (reference §6.3: 72 hours).</summary>
    public void RemoveExpired(long now)
    {
        lock (_gate)
        {
            while (_deletions.TryPeek(out string? keyTag, out long due) && due <= now)
            {
                _deletions.Dequeue();
                if (_byTag.TryGetValue(keyTag, out Entry? entry) && entry.Key is { Status: KeyRules.Revoke, DestroyDate: long date } && date <= now)
                {
                    Delete(entry);
                    MarkChanged();
                }
            }
        }
    }

    /// <summary>Appends to a key's activity log; <paramref name="build"/> sees the key as it is now. Does nothing when the key is gone.</summary>
    public void AddActivity(string keyTag, Func<KmsKey, ActivityRecord> build)
    {
        lock (_gate)
        {
            if (!_byTag.TryGetValue(keyTag, out Entry? entry))
            {
                return;
            }

            if (entry.Activities.Count == ActivityCapacity)
            {
                entry.Activities.Dequeue();
            }

            entry.Activities.Enqueue(build(entry.Key));
        }
    }

    /// <summary>A copy of a key's activity log, oldest first, or null when no key has the tag.</summary>
    public ActivityRecord[]? GetActivities(string keyTag)
    {
        lock (_gate)
        {
            return _byTag.TryGetValue(keyTag, out Entry? entry) ? entry.Activities.ToArray() : null;
        }
    }

    private bool TryAssignNames(IReadOnlyList<NewKeySpec> specs, out string[] names, out string? conflict)
    {
        names = new string[specs.Count];
        var batch = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < specs.Count; i++)
        {
            string name = specs[i].KeyName ?? NextNumberedName(specs[i].NamePrefix, batch);
            if (!KeyRules.IsValidKeyName(name) || _names.Contains(name) || !batch.Add(name))
            {
                conflict = name;
                return false;
            }

            names[i] = name;
        }

        conflict = null;
        return true;
    }

    private string NextNumberedName(string prefix, HashSet<string> batch)
    {
        for (int n = 1; ; n++)
        {
            string name = prefix + n.ToString("D4", CultureInfo.InvariantCulture);
            if (!_names.Contains(name) && !batch.Contains(name))
            {
                return name;
            }
        }
    }

    private KmsKey Insert(NewKeySpec spec, string name, long now)
    {
        KmsKey key = Build(spec, name, NewKeyTag(), _nextKeyId++, now);
        AddEntry(key);
        return key;
    }

    private void AddEntry(KmsKey key)
    {
        var entry = new Entry(key);
        _ordered.Add(entry);
        _byTag.Add(key.KeyTag, entry);
        _names.Add(key.KeyName);
        if (key.Status == KeyRules.Revoke)
        {
            ScheduleDeletion(key);
        }
    }

    private void MarkChanged() => Interlocked.Increment(ref _revision);

    private void Delete(Entry entry)
    {
        _ordered.Remove(entry);
        _byTag.Remove(entry.Key.KeyTag);
        _names.Remove(entry.Key.KeyName);
    }

    private void ScheduleDeletion(KmsKey key) => _deletions.Enqueue(key.KeyTag, key.DestroyDate ?? long.MaxValue);

    private KmsKey Build(NewKeySpec spec, string name, string tag, long keyId, long now)
    {
        // Seeded keys with several versions get a history: one day between versions, the last one now.
        long registered = now - ((spec.VersionCount - 1) * KeyRules.DayMilliseconds);
        var versions = ImmutableArray.CreateBuilder<KmsKeyVersion>(spec.VersionCount);
        for (int v = 1; v <= spec.VersionCount; v++)
        {
            long rotated = registered + ((v - 1) * KeyRules.DayMilliseconds);
            versions.Add(new KmsKeyVersion(v, KeyRules.Enable, rotated, rotated, NewMaterial(spec.KeyType)));
        }

        return new KmsKey
        {
            KeyId = keyId,
            KeyTag = tag,
            KeyName = name,
            KeyType = spec.KeyType,
            Status = spec.Status,
            StatusDate = spec.Status == KeyRules.Enable ? registered : now,
            ProtectionType = spec.ProtectionType,
            Memo = spec.Memo,
            IsConvergent = spec.IsConvergent,
            IsAutoRotation = spec.IsAutoRotation,
            RotationPeriod = spec.RotationPeriod,
            NextRotationDate = spec.IsAutoRotation ? now + (spec.RotationPeriod * KeyRules.DayMilliseconds) : null,
            RegisterDate = registered,
            DestroyDate = spec.Status == KeyRules.Revoke ? now + KeyRules.DeletionWaitMilliseconds : null,
            Versions = versions.MoveToImmutable(),
        };
    }

    private string NewKeyTag()
    {
        while (true)
        {
            string tag = RandomNumberGenerator.GetString(KeyTagAlphabet, KeyTagLength);
            if (!_byTag.ContainsKey(tag))
            {
                return tag;
            }
        }
    }

    /// <summary>A stable slot per key, so updates replace the key without moving it in creation order.</summary>
    private sealed class Entry(KmsKey key)
    {
        public KmsKey Key { get; set; } = key;

        public Queue<ActivityRecord> Activities { get; } = new();
    }
}

/// <summary>What a keystore holds for the state file: its id, the next key id to hand out, and the keys in creation order.</summary>
internal sealed record StoreContents(int KeystoreId, long NextKeyId, IReadOnlyList<KmsKey> Keys);
