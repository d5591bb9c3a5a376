using System;
using System.Linq;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// How every operation reaches the key named by its path, and the state rules they share: each helper throws
/// the documented error (404 for an unknown key or version, 422 for a state that forbids the operation, 400 for
/// a key type that does not support it).
/// </summary>
internal sealed class KeyAccess
{
    public KeyAccess(KmsStore store) => Store = store;

    public KmsStore Store { get; }

    public KmsKey Find(KmsCall call)
    {
        string keyTag = PlausibleTag(call);
        return Store.TryGet(keyTag, out KmsKey key) ? key : throw UnknownKey(keyTag);
    }

    /// <summary>Applies <paramref name="change"/> atomically under the store lock; it may throw to refuse.</summary>
    public KmsKey Change(KmsCall call, Func<KmsKey, KmsKey> change)
    {
        string keyTag = PlausibleTag(call);
        return Store.Update(keyTag, change) ?? throw UnknownKey(keyTag);
    }

    /// <summary>Removes the key unless <paramref name="check"/> throws.</summary>
    public KmsKey Remove(KmsCall call, Action<KmsKey> check)
    {
        string keyTag = PlausibleTag(call);
        return Store.Remove(keyTag, check) ?? throw UnknownKey(keyTag);
    }

    /// <summary>422 unless the key is in one of <paramref name="allowed"/> (reference §6.3).</summary>
    public static void RequireStatus(KmsKey key, string[] allowed, string action)
    {
        if (!allowed.Contains(key.Status))
        {
            throw KmsFault.InvalidStatus(action + " needs a key in " + string.Join(" or ", allowed) + "; this key is " + key.Status);
        }
    }

    /// <summary>
    /// Reference §6.1: each operation family works on some key types only. Inferred: another type is refused as
    /// an invalid request (400), the reference names no error for it.
    /// </summary>
    public static void RequireKeyType(KmsKey key, string[] allowed, string action)
    {
        if (!allowed.Contains(key.KeyType))
        {
            throw KmsFault.Invalid(action + " works on " + string.Join(" and ", allowed) + " keys; this key is " + key.KeyType);
        }
    }

    /// <summary>
    /// The one version lookup, whether the number comes from the path, a ciphertext or signature prefix, or a
    /// body field. Inferred: an unknown version is 404 NOT_FOUND everywhere, as the path form documents.
    /// </summary>
    public static KmsKeyVersion FindVersion(KmsKey key, int version) =>
        key.FindVersion(version) ?? throw KmsFault.NotFound("The key has no version " + version + "; its current version is " + key.CurrentVersion);

    /// <summary>A tag with characters no key tag can contain is answered exactly like an unknown key.</summary>
    private static string PlausibleTag(KmsCall call)
    {
        string keyTag = call.KeyTag;
        return KeyRules.IsPlausibleKeyTag(keyTag) ? keyTag : throw UnknownKey(keyTag);
    }

    private static KmsFault UnknownKey(string keyTag) => KmsFault.NotFound("No key with tag " + keyTag);
}
