using System;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// The next matching requests get no answer: the connection is closed (reset) instead. Before: the operation
/// is not run, so nothing changes. After: the operation runs to the end, its change is in the store (and the
/// state file) before the connection is closed, so the client cannot know that it worked.
/// </summary>
internal sealed class DropRule : FaultRule
{
    public const string Before = "Before";
    public const string After = "After";

    private readonly bool _after;

    public DropRule(RequestFilter filter, int count, bool after)
        : base(EmulatorFaultKind.Drop, filter, count)
    {
        _after = after;
    }

    public override void Apply(KmsCall call)
    {
        if (_after)
        {
            call.DropsAnswer = true;
            return;
        }

        call.Fault = FaultOutcome.DroppedBefore;
        throw KmsFault.Drop("Injected fault: connection closed before the operation, which was not applied");
    }

    public override EmulatorFault Describe() =>
        new(Kind, Filter, Remaining, "Close the connection of " + Filter.Describe() + (_after ? " after the operation is applied" : " before the operation"))
        {
            DropWhen = _after ? After : Before,
        };
}
