using System;

namespace NcpKms.Emulator.Kms;

/// <summary>A KMS service error (shape B, reference §5.2): HTTP status, <c>code</c> and <c>msg</c>.</summary>
internal sealed record KmsError(int StatusCode, string Code, string Message);

/// <summary>An API Gateway error (shape A, reference §5.1): HTTP status, <c>errorCode</c> and <c>message</c>.</summary>
internal sealed record GatewayError(int StatusCode, string ErrorCode, string Message);

internal static class KmsErrors
{
    public static readonly KmsError InvalidRequest = new(400, "INVALID_REQUEST", "Invalid request");

    /// <summary>
    /// Inferred: reference §5.2 lists a not-found error for unknown key tags but its code name is unknown;
    /// NOT_FOUND follows the naming of the documented codes, and the message mirrors their style.
    /// </summary>
    public static readonly KmsError NotFound = new(404, "NOT_FOUND", "Not found");

    public static readonly KmsError InvalidStatus = new(422, "UNPROCESSABLE_ENTITY", "Invalid status");

    public static readonly KmsError Internal = new(500, "INTERNAL_SERVER_ERROR", "Server internal error");
}

internal static class GatewayErrors
{
    public static readonly GatewayError BadRequest = new(400, "100", "Bad Request Exception");

    public static readonly GatewayError AuthenticationFailed = new(401, "200", "Authentication Failed");

    /// <summary>
    /// Inferred (reference §3.6, §8.6): the per-key IP ACL refuses a token request with the gateway's 403, whose
    /// errorCode 230 the gateway table lists only for the API Gateway product.
    /// </summary>
    public static readonly GatewayError Forbidden = new(403, "230", "Forbidden");

    public static readonly GatewayError NotFound = new(404, "300", "Not Found Exception");

    /// <summary>
    /// Inferred: the gateway table (reference §5.1) has no row for a wrong method. The status is 405; the
    /// errorCode stays 300, the table's routing-failure code, so a client that maps codes still sees a routing error.
    /// </summary>
    public static readonly GatewayError MethodNotAllowed = new(405, "300", "Method Not Allowed");

    public static readonly GatewayError TooLarge = new(413, "430", "Request Entity Too Large");

    /// <summary>
    /// Injected throttling. Of the three 429 codes, 410 "Throttle Limited" is the per-second rate limit the
    /// emulator models; 400 "Quota Exceeded" reads as a longer-term quota and 420 "Rate Limited" is not told
    /// apart from 410 by the table (reference §5.1, §5.6).
    /// </summary>
    public static readonly GatewayError ThrottleLimited = new(429, "410", "Throttle Limited");

    public static readonly GatewayError UnexpectedError = new(500, "900", "Unexpected Error");

    public static readonly GatewayError EndpointError = new(503, "500", "Endpoint Error");

    public static readonly GatewayError EndpointTimeout = new(504, "510", "Endpoint Timeout");

    /// <summary>One error per status of the gateway table; for 401 the authentication failure, not 210.</summary>
    private static readonly GatewayError[] ByStatus =
        [BadRequest, AuthenticationFailed, Forbidden, NotFound, MethodNotAllowed, TooLarge, ThrottleLimited, UnexpectedError, EndpointError, EndpointTimeout];

    public static GatewayError ForProtocolStatus(int statusCode) => statusCode == 413 ? TooLarge : BadRequest;

    /// <summary>The gateway's error for an HTTP status, or null when the table has none (502, for one).</summary>
    public static GatewayError? ForStatus(int statusCode) => Array.Find(ByStatus, error => error.StatusCode == statusCode);
}
