using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// Throttling per key: each key tag may have <c>perSecond</c> requests answered in any one second (a sliding
/// window on the emulator clock, so Set-NcpKmsEmulatorClock -Advance ends it at once); the requests over that
/// get the gateway's 429. Requests whose path names no key share one window, the collection's.
/// </summary>
internal sealed class ThrottleRule : FaultRule
{
    /// <summary>The window is one second, so one second later a request is counted afresh.</summary>
    private const int DefaultRetryAfter = 1;

    private const string CollectionWindow = "";

    private readonly int _perSecond;
    private readonly int _retryAfter;
    private readonly ConcurrentDictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);

    public ThrottleRule(int perSecond, int? retryAfter)
        : base(EmulatorFaultKind.Throttle, RequestFilter.Any, null)
    {
        _perSecond = perSecond;
        _retryAfter = retryAfter ?? DefaultRetryAfter;
    }

    public override void Apply(KmsCall call)
    {
        call.Fault = FaultOutcome.Throttled;
        AddRetryAfter(call, _retryAfter);
        string scope = call.SubjectKeyTag is string keyTag ? "key " + keyTag : "requests without a key tag";
        throw KmsFault.Gateway(GatewayErrors.ThrottleLimited, "Rate exceeded: more than " + _perSecond + " requests in one second for " + scope + " (injected fault)");
    }

    public override EmulatorFault Describe() =>
        new(Kind, Filter, Remaining, "Answer 429 (errorCode 410) past " + _perSecond + " requests per second per key, Retry-After: " + _retryAfter)
        {
            StatusCode = GatewayErrors.ThrottleLimited.StatusCode,
            RetryAfter = _retryAfter,
            RequestsPerSecond = _perSecond,
        };

    /// <summary>True when the key's last second is full; a request that is let through is counted in it.</summary>
    protected override bool Takes(KmsCall call)
    {
        Queue<long> window = _windows.GetOrAdd(call.SubjectKeyTag ?? CollectionWindow, _ => new Queue<long>());
        long now = call.ReceivedAt.UtcTicks;
        lock (window)
        {
            while (window.TryPeek(out long first) && first <= now - TimeSpan.TicksPerSecond)
            {
                window.Dequeue();
            }

            if (window.Count >= _perSecond)
            {
                return true;
            }

            window.Enqueue(now);
            return false;
        }
    }
}
