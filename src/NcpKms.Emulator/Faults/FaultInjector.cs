using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// The faults set on one emulator, one slot per kind, and the pipeline stage that applies them. Slots are
/// swapped atomically, so a fault can be set, replaced or cleared while requests are in flight; a request sees
/// each slot either before or after a change, never half of one.
/// </summary>
internal sealed class FaultInjector
{
    /// <summary>
    /// The faults that decide the answer, in the order they are tried; only the first that takes a request acts
    /// on it, so one request never uses up the count of two faults. A drop comes first (the network fails
    /// before the gateway answers), then the gateway's own answers, then throttling, whose window only counts
    /// requests that would otherwise be answered.
    /// </summary>
    private static readonly EmulatorFaultKind[] AnswerOrder =
        [EmulatorFaultKind.Drop, EmulatorFaultKind.Fail, EmulatorFaultKind.Html, EmulatorFaultKind.Throttle];

    private readonly FaultRule?[] _rules = new FaultRule?[Enum.GetValues<EmulatorFaultKind>().Length];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Sets a fault, replacing any earlier one of its kind together with that one's remaining count.</summary>
    public void Set(FaultRule rule) => Volatile.Write(ref _rules[(int)rule.Kind], rule);

    /// <summary>Removes the faults of these kinds; returns the ones that were in effect.</summary>
    public FaultRule[] Clear(IEnumerable<EmulatorFaultKind> kinds) =>
        kinds.Distinct().Select(kind => Interlocked.Exchange(ref _rules[(int)kind], null)).OfType<FaultRule>().ToArray();

    /// <summary>The faults in effect, in the order of <see cref="EmulatorFaultKind"/>.</summary>
    public FaultRule[] List() =>
        Enumerable.Range(0, _rules.Length).Select(i => Volatile.Read(ref _rules[i])).OfType<FaultRule>().Where(rule => !rule.IsSpent).ToArray();

    /// <summary>
    /// The pipeline stage: adds any latency, then lets the first answer fault that takes the request act on it.
    /// Throws the injected answer (or drop); a drop after the operation only marks the call.
    /// </summary>
    public void Intercept(KmsCall call)
    {
        TryApply(EmulatorFaultKind.Latency, call);
        foreach (EmulatorFaultKind kind in AnswerOrder)
        {
            if (TryApply(kind, call))
            {
                return;
            }
        }
    }

    /// <summary>Waits out the call's injected latency; cut short when the emulator stops, so Stop never waits for it.</summary>
    public ValueTask DelayAsync(KmsCall call) =>
        call.Delay > TimeSpan.Zero ? new ValueTask(Task.Delay(call.Delay, _stopping.Token)) : ValueTask.CompletedTask;

    public void Stop() => _stopping.Cancel();

    private bool TryApply(EmulatorFaultKind kind, KmsCall call)
    {
        ref FaultRule? slot = ref _rules[(int)kind];
        FaultRule? rule = Volatile.Read(ref slot);
        if (rule is null || !rule.TryTake(call))
        {
            return false;
        }

        if (rule.IsSpent)
        {
            // The last count went to this request: the fault is over (unless a new one replaced it meanwhile).
            Interlocked.CompareExchange(ref slot, null, rule);
        }

        rule.Apply(call);
        return true;
    }
}
