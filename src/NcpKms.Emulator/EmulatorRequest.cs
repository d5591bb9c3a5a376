using System;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator;

/// <summary>
/// One request the emulator received, as Get-NcpKmsEmulatorRequest reports it. Bodies and the signature
/// header are never recorded: the log must be safe to print in a test failure.
/// </summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(KmsCall call, string requestId)
    {
        Time = call.ReceivedAt;
        Method = call.Request.Method;
        Path = call.Request.Target;
        StatusCode = call.Response.Disposition == ResponseDisposition.Drop ? 0 : call.Response.StatusCode;
        AccessKey = call.AccessKey;
        Authenticated = call.Authenticated;
        RequestId = requestId;
        Detail = call.Detail;
        Applied = call.Applied;
        Fault = call.Fault;
        Delay = call.Delay;
    }

    /// <summary>When the request arrived, on the emulator clock (so it includes any clock skew).</summary>
    public DateTimeOffset Time { get; }

    public string Method { get; }

    /// <summary>Path and query exactly as received on the wire.</summary>
    public string Path { get; }

    /// <summary>The status answered; 0 when an injected drop closed the connection instead.</summary>
    public int StatusCode { get; }

    /// <summary>The x-ncp-iam-access-key header as received, or null when it was missing.</summary>
    public string? AccessKey { get; }

    public bool Authenticated { get; }

    /// <summary>The x-ncp-apigw-request-id sent back with the response (or that would have been, for a dropped one).</summary>
    public string RequestId { get; }

    /// <summary>Why the request was refused (the rule that failed, or the injected fault); null when it succeeded.</summary>
    public string? Detail { get; }

    /// <summary>Whether the operation ran to the end, its change made or its data read, even if the answer was then lost.</summary>
    public bool Applied { get; }

    /// <summary>The injected fault that shaped the answer: Throttled, Failed, Html, Dropped-before, Dropped-after, or Delayed when only latency applied; null for none.</summary>
    public string? Fault { get; }

    /// <summary>The injected latency added before the answer; zero for none.</summary>
    public TimeSpan Delay { get; }
}
