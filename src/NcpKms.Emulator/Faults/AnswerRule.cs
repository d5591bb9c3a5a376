using System;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>Fail and Html: the next matching requests get an injected answer instead of reaching the operation.</summary>
internal sealed class AnswerRule : FaultRule
{
    private readonly FaultAnswer _answer;
    private readonly int? _retryAfter;

    public AnswerRule(EmulatorFaultKind kind, RequestFilter filter, int count, FaultAnswer answer, int? retryAfter)
        : base(kind, filter, count)
    {
        _answer = answer;
        _retryAfter = retryAfter;
    }

    public override void Apply(KmsCall call)
    {
        call.Fault = Kind == EmulatorFaultKind.Html ? FaultOutcome.Html : FaultOutcome.Failed;
        if (_retryAfter is int seconds)
        {
            AddRetryAfter(call, seconds);
        }

        throw KmsFault.Answer(_answer.StatusCode, _answer.ContentType, _answer.Body, "Injected fault: " + _answer.Summary);
    }

    public override EmulatorFault Describe() =>
        new(Kind, Filter, Remaining, "Answer " + Filter.Describe() + ": " + _answer.Summary + RetryAfterText())
        {
            StatusCode = _answer.StatusCode,
            RetryAfter = _retryAfter,
        };

    private string RetryAfterText() => _retryAfter is int seconds ? ", Retry-After: " + seconds : string.Empty;
}
