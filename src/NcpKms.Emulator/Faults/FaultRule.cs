using System;
using System.Globalization;
using System.Threading;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// One fault setting. Fixed when it is made, apart from the count of requests a counted fault still takes:
/// that count is claimed with a compare-and-swap, so under concurrent requests exactly that many are taken
/// ("fail the next 3" fails 3 of 10 simultaneous requests, never 2 or 4).
/// </summary>
internal abstract class FaultRule
{
    private const int Unlimited = -1;

    private int _remaining;

    protected FaultRule(EmulatorFaultKind kind, RequestFilter filter, int? count)
    {
        Kind = kind;
        Filter = filter;
        _remaining = count ?? Unlimited;
    }

    public EmulatorFaultKind Kind { get; }

    public RequestFilter Filter { get; }

    /// <summary>How many more requests a counted fault takes; null for a fault without a count.</summary>
    public int? Remaining => Volatile.Read(ref _remaining) is int remaining and not Unlimited ? remaining : null;

    public bool IsSpent => Volatile.Read(ref _remaining) == 0;

    /// <summary>Whether the fault takes this request: it matches the filter, the fault's own condition holds and a count is left.</summary>
    public bool TryTake(KmsCall call) => Filter.Matches(call.Request) && Takes(call) && TryClaim();

    /// <summary>Applies the fault to a request it took: sets the call's delay or drop, or throws the injected answer.</summary>
    public abstract void Apply(KmsCall call);

    public abstract EmulatorFault Describe();

    /// <summary>The fault's own condition; a throttle takes a request only when the key's second is full.</summary>
    protected virtual bool Takes(KmsCall call) => true;

    protected static void AddRetryAfter(KmsCall call, int seconds) =>
        call.Response.AddHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));

    private bool TryClaim()
    {
        while (true)
        {
            int remaining = Volatile.Read(ref _remaining);
            if (remaining == Unlimited)
            {
                return true;
            }

            if (remaining == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                return true;
            }
        }
    }
}
