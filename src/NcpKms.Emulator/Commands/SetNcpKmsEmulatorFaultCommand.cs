using System;
using System.Management.Automation;
using NcpKms.Emulator.Faults;

namespace NcpKms.Emulator.Commands;

/// <summary>
/// Injects one kind of fault into a running emulator: throttling, failing or dropping the next requests, an
/// HTML error page, or latency. Each kind is set independently; setting a kind again replaces it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NcpKmsEmulatorFault")]
[OutputType(typeof(EmulatorFault))]
public sealed class SetNcpKmsEmulatorFaultCommand : PSCmdlet
{
    private const string ThrottleSet = "Throttle";
    private const string FailSet = "Fail";
    private const string LatencySet = "Latency";
    private const string DropSet = "Drop";
    private const string HtmlSet = "Html";

    /// <summary>The usual transient failure: the gateway could not reach the service.</summary>
    private const int DefaultFailStatus = 503;

    private const int DefaultHtmlStatus = 502;

    private static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(10);

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KmsEmulator Emulator { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ThrottleSet)]
    [ValidateRange(1, 1_000_000)]
    public int RequestsPerSecond { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FailSet)]
    [ValidateRange(1, int.MaxValue)]
    public int FailCount { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LatencySet)]
    public TimeSpan Latency { get; set; }

    [Parameter(ParameterSetName = LatencySet)]
    public TimeSpan Jitter { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DropSet)]
    [ValidateRange(1, int.MaxValue)]
    public int DropCount { get; set; }

    [Parameter(ParameterSetName = DropSet)]
    [ValidateSet(DropRule.Before, DropRule.After)]
    public string DropWhen { get; set; } = DropRule.Before;

    [Parameter(Mandatory = true, ParameterSetName = HtmlSet)]
    [ValidateRange(1, int.MaxValue)]
    public int HtmlCount { get; set; }

    [Parameter(ParameterSetName = FailSet)]
    [Parameter(ParameterSetName = HtmlSet)]
    [ValidateRange(400, 599)]
    public int? StatusCode { get; set; }

    [Parameter(ParameterSetName = FailSet)]
    [AllowEmptyString]
    [ValidateNotNull]
    public string? Body { get; set; }

    [Parameter(ParameterSetName = ThrottleSet)]
    [Parameter(ParameterSetName = FailSet)]
    [ValidateRange(0, 86_400)]
    public int? RetryAfter { get; set; }

    [Parameter(ParameterSetName = FailSet)]
    [Parameter(ParameterSetName = LatencySet)]
    [Parameter(ParameterSetName = DropSet)]
    [Parameter(ParameterSetName = HtmlSet)]
    [ValidateSet("GET", "POST", "PUT", "DELETE", "HEAD")]
    public string? Method { get; set; }

    [Parameter(ParameterSetName = FailSet)]
    [Parameter(ParameterSetName = LatencySet)]
    [Parameter(ParameterSetName = DropSet)]
    [Parameter(ParameterSetName = HtmlSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        // Request paths start with '/', so any other pattern would silently match nothing.
        if (Path is not null && Path[0] is not ('/' or '*' or '?'))
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidPath",
                "Path: a wildcard pattern for the request path without the query, such as '*/rotate' or '/kms/v1/keys/*'; it must start with '/' or a wildcard. Got '" + Path + "'.", Path));
        }

        if (ParameterSetName == LatencySet)
        {
            ValidateLatency();
        }
    }

    protected override void ProcessRecord()
    {
        if (!Emulator.IsRunning)
        {
            ThrowTerminatingError(CmdletErrors.Stopped(Emulator));
        }

        FaultRule rule = NewRule();
        Emulator.Host.Faults.Set(rule);
        EmulatorFault fault = rule.Describe();
        WriteVerbose("Fault set on the emulator at " + Emulator.Endpoint + ": " + fault.Description);
        if (PassThru)
        {
            WriteObject(fault);
        }
    }

    private FaultRule NewRule()
    {
        var filter = new RequestFilter(Method?.ToUpperInvariant(), Path);
        return ParameterSetName switch
        {
            ThrottleSet => new ThrottleRule(RequestsPerSecond, RetryAfter),
            FailSet => new AnswerRule(EmulatorFaultKind.Fail, filter, FailCount, FailAnswer(StatusCode ?? DefaultFailStatus), RetryAfter),
            HtmlSet => new AnswerRule(EmulatorFaultKind.Html, filter, HtmlCount, FaultAnswer.Html(StatusCode ?? DefaultHtmlStatus), null),
            DropSet => new DropRule(filter, DropCount, DropWhen.Equals(DropRule.After, StringComparison.OrdinalIgnoreCase)),
            _ => new LatencyRule(filter, Latency, Jitter),
        };
    }

    private FaultAnswer FailAnswer(int statusCode) => Body is null ? FaultAnswer.Default(statusCode) : FaultAnswer.Raw(statusCode, Body);

    private void ValidateLatency()
    {
        foreach ((string name, TimeSpan value) in new[] { ("Latency", Latency), ("Jitter", Jitter) })
        {
            if (value < TimeSpan.Zero || value > MaxLatency)
            {
                ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidLatency",
                    name + " must be between 0 and 10 minutes; got " + value + ".", value));
            }
        }

        if (Latency == TimeSpan.Zero && Jitter == TimeSpan.Zero)
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidLatency",
                "Latency: give a delay above zero, or a -Jitter above zero for a random delay.", Latency));
        }
    }
}
