using System;

namespace NcpKms.Emulator.Http;

/// <summary>Reason phrases for the status line; clients ignore them, but people reading traces do not.</summary>
internal static class HttpStatus
{
    public static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    };

    /// <summary>1xx, 204 and 304 responses never carry a body (RFC 9110 §6.4.1).</summary>
    public static bool AllowsBody(int statusCode) => statusCode >= 200 && statusCode != 204 && statusCode != 304;
}
