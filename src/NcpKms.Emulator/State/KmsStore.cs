using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;

namespace NcpKms.Emulator.State;

/// <summary>The result of a rotation attempt.</summary>
internal enum RotateOutcome
{
    Rotated,
    NotFound,
    NotEnabled,
    VersionLimit,
}

/// <summary>
/// The in-memory keystore. One lock guards it: every operation is a few dictionary lookups or a bounded
/// slice, so contention stays short, and it makes compound changes (check name, then add; read version
/// count, then append) atomic under many concurrent requests.
/// </summary>
internal sealed class KmsStore
{
    private const string KeyTagAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int KeyTagLength = 64;

    private readonly object _gate = new();
    private readonly List<Entry> _ordered = [];
    private readonly Dictionary<string, Entry> _byTag = new(StringComparer.Ordinal);

    // Inferred: the reference only says names are unique in the keystore; case-sensitive uniqueness is assumed.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private long _nextKeyId = 1001;

    public KmsStore(int keystoreId) => KeystoreId = keystoreId;

    public int KeystoreId { get; }

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

    /// <summary>
    /// Appends version N+1 and makes it current; only an ENABLE key below the version limit rotates.
    /// <paramref name="rotated"/> is the new key state, or the unchanged key when the rotation is refused.
    /// </summary>
    public RotateOutcome Rotate(string keyTag, long now, out KmsKey rotated)
    {
        lock (_gate)
        {
            rotated = null!;
            if (!_byTag.TryGetValue(keyTag, out Entry? entry))
            {
                return RotateOutcome.NotFound;
            }

            KmsKey key = entry.Key;
            if (key.Status != KeyRules.Enable)
            {
                rotated = key;
                return RotateOutcome.NotEnabled;
            }

            if (key.Versions.Length >= KeyRules.MaxVersions)
            {
                rotated = key;
                return RotateOutcome.VersionLimit;
            }

            var version = new KmsKeyVersion(key.CurrentVersion + 1, KeyRules.Enable, now, now);
            // Inferred: a manual rotation restarts the automatic-rotation period (the reference does not say).
            rotated = key with
            {
                Versions = key.Versions.Add(version),
                NextRotationDate = key.IsAutoRotation ? now + (key.RotationPeriod * KeyRules.DayMilliseconds) : null,
            };
            entry.Key = rotated;
            return RotateOutcome.Rotated;
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
        string tag = NewKeyTag();
        KmsKey key = Build(spec, name, tag, _nextKeyId++, now);
        var entry = new Entry(key);
        _ordered.Add(entry);
        _byTag.Add(tag, entry);
        _names.Add(name);
        return key;
    }

    private static KmsKey Build(NewKeySpec spec, string name, string tag, long keyId, long now)
    {
        // Seeded keys with several versions get a history: one day between versions, the last one now.
        long registered = now - ((spec.VersionCount - 1) * KeyRules.DayMilliseconds);
        var versions = ImmutableArray.CreateBuilder<KmsKeyVersion>(spec.VersionCount);
        for (int v = 1; v <= spec.VersionCount; v++)
        {
            long rotated = registered + ((v - 1) * KeyRules.DayMilliseconds);
            versions.Add(new KmsKeyVersion(v, KeyRules.Enable, rotated, rotated));
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
    }
}
