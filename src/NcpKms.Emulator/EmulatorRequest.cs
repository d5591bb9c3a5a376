using System;

namespace NcpKms.Emulator;

/// <summary>
/// One request the emulator received, as Get-NcpKmsEmulatorRequest reports it. Bodies and the signature
/// header are never recorded: the log must be safe to print in a test failure.
/// </summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(DateTimeOffset time, string method, string path, int statusCode, string? accessKey, bool authenticated, string requestId, string? detail)
    {
        Time = time;
        Method = method;
        Path = path;
        StatusCode = statusCode;
        AccessKey = accessKey;
        Authenticated = authenticated;
        RequestId = requestId;
        Detail = detail;
    }

    /// <summary>When the request arrived, on the emulator clock (so it includes any clock skew).</summary>
    public DateTimeOffset Time { get; }

    public string Method { get; }

    /// <summary>Path and query exactly as received on the wire.</summary>
    public string Path { get; }

    public int StatusCode { get; }

    /// <summary>The x-ncp-iam-access-key header as received, or null when it was missing.</summary>
    public string? AccessKey { get; }

    public bool Authenticated { get; }

    /// <summary>The x-ncp-apigw-request-id sent back with the response.</summary>
    public string RequestId { get; }

    /// <summary>Why the request was refused (the rule that failed); null when it succeeded.</summary>
    public string? Detail { get; }
}
