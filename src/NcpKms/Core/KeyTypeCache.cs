using System.Collections.Concurrent;

namespace NcpKms.Core;

/// <summary>
/// Key tag → key type, per endpoint, for the whole process. A key's type never changes, so one Get Key Info per
/// key serves every later crypto call: the RSA2048 plaintext limit and the key-type rules are then checked
/// locally instead of costing a read per item.
/// </summary>
public static class KeyTypeCache
{
    /// <summary>Enough for any script's keys; past it the cache starts over rather than grow without bound.</summary>
    private const int Capacity = 1024;

    private static readonly ConcurrentDictionary<(string Endpoint, string KeyTag), string> Types = new();

    public static bool TryGet(KmsEndpoint endpoint, string keyTag, out string? keyType)
    {
        bool found = Types.TryGetValue((endpoint.ToString(), keyTag), out string? value);
        keyType = value;
        return found;
    }

    public static void Set(KmsEndpoint endpoint, string keyTag, string keyType)
    {
        if (Types.Count >= Capacity) Types.Clear();
        Types[(endpoint.ToString(), keyTag)] = keyType.ToUpperInvariant();
    }

    /// <summary>For tests: forget every key.</summary>
    internal static void Clear() => Types.Clear();
}
