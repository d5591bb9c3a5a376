using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NcpKms.Core;

/// <summary>
/// Turns an HTTP answer into the operation's result or a <see cref="KmsException"/>. Accepts every error
/// shape NCP is known to send (ncp-kms-api.md §5): gateway {"error":{errorCode,message,details}}, KMS
/// {"code","msg"}, the v3 {"error":{...,"detail"}}, empty or HTML bodies with x-ncp-apigw-* headers.
/// </summary>
public static partial class KmsResponseReader
{
    private const string Success = "SUCCESS";
    private const int SnippetLength = 200;
    private const int MaxDecodedBytes = 64 * 1024;
    private static readonly TimeSpan TimestampWindow = TimeSpan.FromMinutes(5);

    /// <param name="header">Looks up a response header (case-insensitive), null when absent.</param>
    /// <param name="localNow">The local clock when the answer arrived, to measure clock skew.</param>
    /// <param name="readData">Reads the result from the envelope's data and, for fields the docs place uncertainly, its root.</param>
    public static T Read<T>(KmsRequest request, int status, Func<string, string?> header, ReadOnlySpan<byte> body,
        Func<JsonElement, JsonElement, T> readData, DateTimeOffset localNow)
    {
        var answer = new Answer(request, status, header, localNow);
        JsonDocument? document = TryParse(body);
        if (document is null)
        {
            throw IsSuccess(status)
                ? answer.InvalidResponse(Snippet(request, body, "The body is not JSON"))
                : answer.Error(header("x-ncp-apigw-error-code"), header("x-ncp-apigw-error-message") ?? Snippet(request, body, null));
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (JsonFields.TryGet(root, "error", out JsonElement gatewayError) && gatewayError.ValueKind == JsonValueKind.Object)
                throw answer.Error(SafeString(gatewayError, "errorCode"), GatewayMessage(gatewayError));

            string? code = root.ValueKind == JsonValueKind.Object ? SafeString(root, "code") : null;
            if (code is not null && code != Success)
                throw answer.Error(code, StripHtml(SafeString(root, "msg") ?? SafeString(root, "message")));
            if (!IsSuccess(status))
                throw answer.Error(header("x-ncp-apigw-error-code"), header("x-ncp-apigw-error-message"));
            if (code is null)
                throw answer.InvalidResponse(Snippet(request, body, "The answer has no 'code' field"));

            JsonFields.TryGet(root, "data", out JsonElement data);
            try
            {
                return readData(data, root);
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or KmsException))
            {
                throw answer.InvalidResponse(exception.Message + (request.SensitiveResponse ? string.Empty : " Body: " + Snippet(request, body, null)));
            }
        }
    }

    /// <summary>The id to quote to NCP support: the gateway's request id, else the v3 request id, else the trace id.</summary>
    public static string? RequestIdOf(Func<string, string?> header) =>
        header("x-ncp-apigw-request-id") ?? header("x-ncp-request-id") ?? header("x-ncp-trace-id");

    private static bool IsSuccess(int status) => status is >= 200 and < 300;

    private static JsonDocument? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        var reader = new Utf8JsonReader(body);
        try
        {
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? SafeString(JsonElement element, string name)
    {
        try
        {
            return JsonFields.String(element, name);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? GatewayMessage(JsonElement error)
    {
        string? message = StripHtml(SafeString(error, "message"));
        // The legacy gateway spells it "details", the v3 standard "detail".
        string? details = StripHtml(SafeString(error, "details") ?? SafeString(error, "detail"));
        return string.IsNullOrEmpty(details) ? message : $"{message} ({details})";
    }

    /// <summary>The start of a body for a message; never for answers that may carry key material.</summary>
    private static string Snippet(KmsRequest request, ReadOnlySpan<byte> body, string? prefix)
    {
        string shown = body.IsEmpty ? "(empty body)"
            : request.SensitiveResponse ? $"({body.Length} bytes, not shown: the answer may hold key material)"
            : Printable(body);
        return prefix is null ? shown : $"{prefix}: {shown}";
    }

    /// <summary>The body as one line of text, HTML stripped before it is cut so no broken tag survives.</summary>
    private static string Printable(ReadOnlySpan<byte> body)
    {
        string text = StripHtml(Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxDecodedBytes)]))!;
        var builder = new StringBuilder(Math.Min(text.Length, SnippetLength + 3));
        foreach (char c in text)
        {
            if (builder.Length == SnippetLength) return builder.Append("...").ToString();
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    internal static string? StripHtml(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.IndexOf('<') < 0) return text;
        string plain = WebUtility.HtmlDecode(HtmlTag().Replace(text, " "));
        return Whitespace().Replace(plain, " ").Trim();
    }

    // A tag cut off at the end of a truncated body has no '>': match it too.
    [GeneratedRegex("<[^>]*(>|$)")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The facts of one answer, to build errors from.</summary>
    private readonly record struct Answer(KmsRequest Request, int Status, Func<string, string?> Header, DateTimeOffset LocalNow)
    {
        private string? RequestId => RequestIdOf(Header);

        public KmsException Error(string? ncpCode, string? ncpMessage)
        {
            (string reason, KmsErrorKind kind) = Classify(Status, ncpCode, Request.KeyTag is not null);
            TimeSpan? serverClockOffset = null;
            string message = $"{Request.Describe()} failed: NCP answered HTTP {Status}"
                + (ncpCode is null ? string.Empty : $", code {ncpCode}")
                + (string.IsNullOrEmpty(ncpMessage) ? "." : $": {ncpMessage}.");
            if (reason == "AuthenticationFailed" && MeasureSkew() is TimeSpan skew)
            {
                reason = "ClockSkew";
                serverClockOffset = skew;
                message += $" The local clock is {Math.Abs(skew.TotalMinutes):0.0} minutes {(skew > TimeSpan.Zero ? "behind" : "ahead of")} the service's clock"
                    + " (by its Date header), and NCP refuses requests whose timestamp is more than 5 minutes off: synchronise the system clock.";
            }

            return Build(reason, kind, message, ncpCode, ncpMessage, serverClockOffset);
        }

        public KmsException InvalidResponse(string detail) =>
            Build("InvalidResponse", KmsErrorKind.InvalidResponse,
                $"{Request.Describe()} failed: the answer (HTTP {Status}) is not the documented JSON. {detail}", null, null);

        private KmsException Build(string reason, KmsErrorKind kind, string message, string? ncpCode, string? ncpMessage,
            TimeSpan? serverClockOffset = null)
        {
            string? requestId = RequestId;
            if (requestId is not null) message += $" Request id: {requestId}.";
            return new KmsException(reason, kind, message)
            {
                KeyTag = Request.KeyTag,
                StatusCode = Status,
                NcpCode = ncpCode,
                NcpMessage = ncpMessage,
                RequestId = requestId,
                RetryAfter = RetryAfter(),
                ServerClockOffset = serverClockOffset,
                // A gateway that answered 502/504 cannot say whether the backend applied the request.
                OutcomeUnknown = Status is 502 or 504,
            };
        }

        /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3).</summary>
        private TimeSpan? RetryAfter()
        {
            string? value = Header("Retry-After");
            if (value is null) return null;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)) return TimeSpan.FromSeconds(seconds);
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                ? (at - LocalNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero)
                : null;
        }

        /// <summary>How far the service's clock is ahead of ours, when that explains a refused timestamp.</summary>
        private TimeSpan? MeasureSkew()
        {
            string? date = Header("Date");
            if (date is null || !DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset serverNow))
                return null;
            TimeSpan skew = serverNow - LocalNow;
            return skew.Duration() > TimestampWindow ? skew : null;
        }
    }

    /// <summary>The error id and kind: by HTTP status first, then by NCP's code when the status says success.</summary>
    internal static (string Reason, KmsErrorKind Kind) Classify(int status, string? ncpCode, bool aboutKey) => status switch
    {
        401 when ncpCode == "210" => ("PermissionDenied", KmsErrorKind.PermissionDenied),
        401 => ("AuthenticationFailed", KmsErrorKind.Authentication),
        403 => ("PermissionDenied", KmsErrorKind.PermissionDenied),
        404 => (aboutKey ? "KeyNotFound" : "NotFound", KmsErrorKind.NotFound),
        400 or 405 or 413 => ("InvalidRequest", KmsErrorKind.InvalidArgument),
        409 or 422 => ("InvalidKeyState", KmsErrorKind.InvalidState),
        429 => ("Throttled", KmsErrorKind.LimitExceeded),
        >= 500 => ("ServiceUnavailable", KmsErrorKind.Unavailable),
        _ => ClassifyCode(ncpCode, aboutKey),
    };

    // KMS codes as listed for API 1.0 (§5.2); the 2.0 list is not published, so unknown codes stay generic.
    private static (string Reason, KmsErrorKind Kind) ClassifyCode(string? ncpCode, bool aboutKey) => ncpCode switch
    {
        "INVALID_REQUEST" => ("InvalidRequest", KmsErrorKind.InvalidArgument),
        "UNAUTHORIZED" => ("AuthenticationFailed", KmsErrorKind.Authentication),
        "FORBIDDEN" => ("PermissionDenied", KmsErrorKind.PermissionDenied),
        "UNPROCESSABLE_ENTITY" => ("InvalidKeyState", KmsErrorKind.InvalidState),
        "INTERNAL_SERVER_ERROR" => ("ServiceUnavailable", KmsErrorKind.Unavailable),
        not null when ncpCode.Contains("NOT_FOUND", StringComparison.OrdinalIgnoreCase) => (aboutKey ? "KeyNotFound" : "NotFound", KmsErrorKind.NotFound),
        _ => ("ServiceError", KmsErrorKind.Unknown),
    };
}
