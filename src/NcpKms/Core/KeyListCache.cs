using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>
/// A short-lived, process-wide copy of the key list per endpoint and authentication, for tab completion:
/// one listing serves every keystroke for <see cref="TimeToLive"/>. A caller waits at most the time it
/// gives; a slow listing goes on in the background and serves the next keystroke.
/// </summary>
public static class KeyListCache
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>The keys, or null when they are not known within <paramref name="wait"/> or the listing failed.</summary>
    public static IReadOnlyList<Key>? Get(KmsConnection connection, TimeSpan wait)
    {
        string cacheKey = connection.Endpoint + "|" + connection.Authentication.Description;
        Entry entry = Entries.AddOrUpdate(cacheKey, _ => Entry.Start(connection), (_, old) => old.IsStale ? Entry.Start(connection) : old);
        if (!entry.Keys.Wait(wait)) return null;
        if (entry.Keys.IsCompletedSuccessfully) return entry.Keys.Result;
        Entries.TryRemove(new KeyValuePair<string, Entry>(cacheKey, entry));
        return null;
    }

    /// <summary>Forgets every listing, e.g. when the session context changes.</summary>
    public static void Clear() => Entries.Clear();

    private sealed record Entry(Task<IReadOnlyList<Key>> Keys, DateTime Started)
    {
        public bool IsStale => DateTime.UtcNow - Started > TimeToLive || Keys.IsFaulted;

        public static Entry Start(KmsConnection connection) => new(ListAsync(connection), DateTime.UtcNow);

        private static async Task<IReadOnlyList<Key>> ListAsync(KmsConnection connection)
        {
            using var timeout = new CancellationTokenSource(ListingTimeout);
            var keys = new List<Key>();
            await foreach (KmsResult<KeyPage> page in connection.ListKeyPagesAsync(KmsKeyOperations.MaxPageSize, timeout.Token).ConfigureAwait(false))
                keys.AddRange(page.Value.Keys);
            return keys;
        }
    }
}
