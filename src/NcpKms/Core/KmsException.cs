using System;

namespace NcpKms.Core;

/// <summary>What kind of failure a <see cref="KmsException"/> is; the cmdlets map it to an ErrorCategory.</summary>
public enum KmsErrorKind
{
    Authentication,
    PermissionDenied,
    NotFound,
    InvalidArgument,
    InvalidState,
    LimitExceeded,
    Unavailable,
    Connection,
    Timeout,
    InvalidResponse,
    Unknown,
}

/// <summary>
/// A failed KMS call or an unusable configuration. <see cref="Reason"/> is the stable part of the
/// error id (NcpKms.&lt;Reason&gt;); the NCP fields are kept so scripts can read them.
/// </summary>
public sealed class KmsException : Exception
{
    public KmsException(string reason, KmsErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Kind = kind;
    }

    public string Reason { get; }

    public KmsErrorKind Kind { get; }

    /// <summary>The key the call was about, when there was one.</summary>
    public string? KeyTag { get; init; }

    /// <summary>HTTP status of the answer; null when none arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>NCP's error code: the gateway's errorCode or the KMS code.</summary>
    public string? NcpCode { get; init; }

    /// <summary>NCP's error message (HTML stripped).</summary>
    public string? NcpMessage { get; init; }

    /// <summary>The x-ncp-apigw-request-id (or x-ncp-request-id) of the answer, to quote to NCP support.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// True when the request may have reached NCP and been applied although no answer came (a timeout, a
    /// connection dropped after sending). False for a refused request and for one that never left.
    /// </summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>True when the request certainly never reached the service (DNS, connect or TLS failure).</summary>
    public bool NotSent { get; init; }

    /// <summary>How long the service asked the client to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How far the service's clock is ahead of the clock the request was signed with, when a refused timestamp showed it.</summary>
    public TimeSpan? ServerClockOffset { get; init; }
}
