using System;

namespace NcpKms.Emulator.Faults;

/// <summary>The names the request log's Fault property uses for what an injected fault did to a request.</summary>
internal static class FaultOutcome
{
    public const string Throttled = "Throttled";
    public const string Failed = "Failed";
    public const string Html = "Html";
    public const string DroppedBefore = "Dropped-before";
    public const string DroppedAfter = "Dropped-after";

    /// <summary>Only latency applied; any other fault on the same request names the outcome instead.</summary>
    public const string Delayed = "Delayed";
}
