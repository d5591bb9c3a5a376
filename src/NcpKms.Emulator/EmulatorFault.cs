using System;
using NcpKms.Emulator.Faults;

namespace NcpKms.Emulator;

/// <summary>The kinds of fault Set-NcpKmsEmulatorFault injects; each kind is set and cleared on its own.</summary>
public enum EmulatorFaultKind
{
    /// <summary>Answer 429 once a key has had its requests for the current second.</summary>
    Throttle,

    /// <summary>Answer the next matching requests with an error status and body.</summary>
    Fail,

    /// <summary>Hold back the answer of every matching request.</summary>
    Latency,

    /// <summary>Close the connection of the next matching requests without answering.</summary>
    Drop,

    /// <summary>Answer the next matching requests with an HTML error page.</summary>
    Html,
}

/// <summary>
/// One fault in effect on an emulator, as Get-NcpKmsEmulatorFault reports it. Properties that do not apply to
/// the kind are null.
/// </summary>
public sealed class EmulatorFault
{
    internal EmulatorFault(EmulatorFaultKind kind, RequestFilter filter, int? remaining, string description)
    {
        Kind = kind;
        Method = filter.Method;
        Path = filter.Path;
        Remaining = remaining;
        Description = description;
    }

    public EmulatorFaultKind Kind { get; }

    /// <summary>The HTTP method the fault is limited to; null for every method.</summary>
    public string? Method { get; }

    /// <summary>The wildcard pattern the request path must match; null for every path.</summary>
    public string? Path { get; }

    /// <summary>How many more matching requests the fault takes (Fail, Drop, Html); null when it has no count.</summary>
    public int? Remaining { get; }

    /// <summary>The status answered: Fail and Html, and 429 for Throttle.</summary>
    public int? StatusCode { get; internal init; }

    /// <summary>The Retry-After header in seconds (Throttle always; Fail when given).</summary>
    public int? RetryAfter { get; internal init; }

    /// <summary>Throttle: how many requests per key each second are answered normally.</summary>
    public int? RequestsPerSecond { get; internal init; }

    /// <summary>Latency: the fixed delay added to each matching answer.</summary>
    public TimeSpan? Latency { get; internal init; }

    /// <summary>Latency: the most added on top of <see cref="Latency"/>, chosen at random per request.</summary>
    public TimeSpan? Jitter { get; internal init; }

    /// <summary>Drop: Before (the operation is not applied) or After (it is applied, then the answer is lost).</summary>
    public string? DropWhen { get; internal init; }

    /// <summary>The fault in words, as the table view shows it.</summary>
    public string Description { get; }
}
