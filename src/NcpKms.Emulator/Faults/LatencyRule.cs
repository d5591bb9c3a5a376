using System;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// Holds back the answer of every matching request by a fixed delay plus a random part up to the jitter. The
/// operation has already run when the wait starts, so a client that gives up early has still changed state,
/// as with a slow server.
/// </summary>
internal sealed class LatencyRule : FaultRule
{
    private readonly TimeSpan _latency;
    private readonly TimeSpan _jitter;

    public LatencyRule(RequestFilter filter, TimeSpan latency, TimeSpan jitter)
        : base(EmulatorFaultKind.Latency, filter, null)
    {
        _latency = latency;
        _jitter = jitter;
    }

    public override void Apply(KmsCall call)
    {
        call.Delay = _latency + (_jitter * Random.Shared.NextDouble());
        call.Fault = FaultOutcome.Delayed;
    }

    public override EmulatorFault Describe() =>
        new(Kind, Filter, Remaining, "Delay " + Filter.Describe() + " by " + _latency + (_jitter > TimeSpan.Zero ? " plus up to " + _jitter : string.Empty))
        {
            Latency = _latency,
            Jitter = _jitter,
        };
}
