using System;
using System.Collections.Concurrent;

namespace NcpKms.Core;

/// <summary>
/// The time used for request timestamps, per endpoint. When NCP refuses a timestamp and its Date header
/// shows the local clock is off, the measured offset is kept for the rest of the process, so every later
/// request to that endpoint is signed with the corrected time.
/// </summary>
public static class KmsClock
{
    private static readonly ConcurrentDictionary<string, TimeSpan> Offsets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Now, as the service at this endpoint would have it.</summary>
    public static DateTimeOffset Now(KmsEndpoint endpoint) =>
        DateTimeOffset.UtcNow + (Offsets.TryGetValue(endpoint.ToString(), out TimeSpan offset) ? offset : TimeSpan.Zero);

    /// <summary>Records the offset; true when this is the first correction for the endpoint (so it is worth a warning).</summary>
    public static bool Correct(KmsEndpoint endpoint, TimeSpan serviceAheadBy)
    {
        bool first = true;
        Offsets.AddOrUpdate(endpoint.ToString(), serviceAheadBy, (_, _) =>
        {
            first = false;
            return serviceAheadBy;
        });
        return first;
    }

    /// <summary>The offset in use for an endpoint, or zero.</summary>
    public static TimeSpan OffsetFor(KmsEndpoint endpoint) =>
        Offsets.TryGetValue(endpoint.ToString(), out TimeSpan offset) ? offset : TimeSpan.Zero;

    /// <summary>Forgets every correction (for tests and Disconnect-NcpKms).</summary>
    public static void Reset() => Offsets.Clear();
}
