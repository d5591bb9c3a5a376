using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsResponseReaderTests
{
    private const string Tag = "a1b2c3d4e5f6";
    private const string Marker = "PLAINTEXT-7f3a9c";
    private static readonly DateTimeOffset Now = new(2024, 12, 6, 5, 20, 7, TimeSpan.Zero);

    private static KmsRequest KeyCall() => KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", Tag, "rotate");

    private static KmsRequest ListCall() => KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", "pageNo=1&pageSize=200");

    private static T Read<T>(KmsRequest request, int status, string body, Func<JsonElement, T> readData, params (string Name, string Value)[] headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in headers) map[name] = value;
        return KmsResponseReader.Read(request, status, name => map.TryGetValue(name, out string? value) ? value : null,
            Encoding.UTF8.GetBytes(body), (data, _) => readData(data), Now);
    }

    private static KmsException Failure(KmsRequest request, int status, string body, params (string Name, string Value)[] headers) =>
        Assert.Throws<KmsException>(() => Read(request, status, body, data => data.GetRawText(), headers));

    private static string Gateway(string errorCode, string message) =>
        $"{{\"error\":{{\"errorCode\":{errorCode},\"message\":\"{message}\"}}}}";

    // ---- success ----

    [Fact]
    public void A_success_envelope_returns_the_data()
    {
        KeyRotation rotation = Read(KeyCall(), 200,
            "{\"code\":\"SUCCESS\",\"data\":{\"keyTag\":\"a1b2...z6\",\"version\":4,\"rotatedDate\":1733462407906}}", KeyRotation.FromJson);

        Assert.Equal("a1b2...z6", rotation.KeyTag);
        Assert.Equal(4, rotation.Version);
    }

    [Fact]
    public void A_success_envelope_with_an_empty_msg_is_tolerated()
    {
        string tag = Read(KeyCall(), 200, "{\"code\":\"SUCCESS\",\"msg\":\"\",\"data\":{\"keyTag\":\"abc\"}}", data => JsonFields.RequiredString(data, "keyTag"));

        Assert.Equal("abc", tag);
    }

    [Theory]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":null}")]
    [InlineData("{\"code\":\"SUCCESS\"}")]
    public void Null_or_missing_data_reaches_the_reader_as_no_object(string body)
    {
        (JsonValueKind kind, string? keyTag) = Read(KeyCall(), 200, body, data => (data.ValueKind, JsonFields.String(data, "keyTag")));

        Assert.Contains(kind, new[] { JsonValueKind.Undefined, JsonValueKind.Null });
        Assert.Null(keyTag);
    }

    // ---- gateway errors (shape A) ----

    [Theory]
    [InlineData("\"200\"")]
    [InlineData("200")]
    public void A_gateway_401_with_code_200_is_AuthenticationFailed(string errorCode)
    {
        KmsException exception = Failure(KeyCall(), 401, Gateway(errorCode, "Authentication Failed"), ("x-ncp-apigw-request-id", "req-123"));

        Assert.Equal("AuthenticationFailed", exception.Reason);
        Assert.Equal(KmsErrorKind.Authentication, exception.Kind);
        Assert.Equal(401, exception.StatusCode);
        Assert.Equal("200", exception.NcpCode);
        Assert.Equal("Authentication Failed", exception.NcpMessage);
        Assert.Equal("req-123", exception.RequestId);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains("Rotate Key for key 'a1b2c3d4e5f6'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Authentication Failed", exception.Message, StringComparison.Ordinal);
        Assert.Contains("req-123", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"210\"")]
    [InlineData("210")]
    public void A_gateway_401_with_code_210_is_PermissionDenied(string errorCode)
    {
        KmsException exception = Failure(KeyCall(), 401, Gateway(errorCode, "Permission Denied"));

        Assert.Equal("PermissionDenied", exception.Reason);
        Assert.Equal(KmsErrorKind.PermissionDenied, exception.Kind);
        Assert.Equal("210", exception.NcpCode);
    }

    [Fact]
    public void A_403_is_PermissionDenied()
    {
        KmsException exception = Failure(KeyCall(), 403, Gateway("\"230\"", "Forbidden"));

        Assert.Equal("PermissionDenied", exception.Reason);
        Assert.Equal(KmsErrorKind.PermissionDenied, exception.Kind);
        Assert.Equal(403, exception.StatusCode);
    }

    [Fact]
    public void A_404_about_a_key_is_KeyNotFound()
    {
        KmsException exception = Failure(KeyCall(), 404, Gateway("\"300\"", "Not Found Exception"));

        Assert.Equal("KeyNotFound", exception.Reason);
        Assert.Equal(KmsErrorKind.NotFound, exception.Kind);
        Assert.Equal(Tag, exception.KeyTag);
    }

    [Fact]
    public void A_404_about_no_key_is_NotFound()
    {
        KmsException exception = Failure(ListCall(), 404, Gateway("\"300\"", "Not Found Exception"));

        Assert.Equal("NotFound", exception.Reason);
        Assert.Equal(KmsErrorKind.NotFound, exception.Kind);
        Assert.Null(exception.KeyTag);
    }

    [Theory]
    [InlineData(400, "\"100\"", "Bad Request Exception")]
    [InlineData(413, "\"430\"", "Request Entity Too Large")]
    public void A_400_or_413_is_InvalidRequest(int status, string errorCode, string message)
    {
        KmsException exception = Failure(KeyCall(), status, Gateway(errorCode, message));

        Assert.Equal("InvalidRequest", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Equal(message, exception.NcpMessage);
    }

    [Theory]
    [InlineData("\"400\"", "Quota Exceeded")]
    [InlineData("\"410\"", "Throttle Limited")]
    [InlineData("420", "Rate Limited")]
    public void A_429_is_Throttled_whatever_the_code(string errorCode, string message)
    {
        KmsException exception = Failure(KeyCall(), 429, Gateway(errorCode, message));

        Assert.Equal("Throttled", exception.Reason);
        Assert.Equal(KmsErrorKind.LimitExceeded, exception.Kind);
        Assert.Equal(errorCode.Trim('"'), exception.NcpCode);
    }

    [Theory]
    [InlineData(500, "\"900\"", "Unexpected Error")]
    [InlineData(502, "\"900\"", "Bad Gateway")]
    [InlineData(503, "\"500\"", "Endpoint Error")]
    [InlineData(504, "\"510\"", "Endpoint Timeout")]
    public void A_5xx_is_ServiceUnavailable(int status, string errorCode, string message)
    {
        KmsException exception = Failure(KeyCall(), status, Gateway(errorCode, message));

        Assert.Equal("ServiceUnavailable", exception.Reason);
        Assert.Equal(KmsErrorKind.Unavailable, exception.Kind);
        Assert.Equal(status, exception.StatusCode);
    }

    [Fact]
    public void Legacy_details_are_added_to_the_gateway_message()
    {
        KmsException exception = Failure(KeyCall(), 401,
            "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\",\"details\":\"Invalid authentication information.\"}}");

        Assert.Equal("Authentication Failed (Invalid authentication information.)", exception.NcpMessage);
    }

    [Fact]
    public void A_mistyped_errorCode_is_dropped_and_the_status_still_classifies()
    {
        KmsException exception = Failure(KeyCall(), 401, "{\"error\":{\"errorCode\":{\"x\":1},\"message\":\"Authentication Failed\"}}");

        Assert.Equal("AuthenticationFailed", exception.Reason);
        Assert.Null(exception.NcpCode);
        Assert.Equal("Authentication Failed", exception.NcpMessage);
    }

    // ---- KMS errors (shape B) ----

    [Fact]
    public void A_422_UNPROCESSABLE_ENTITY_is_InvalidKeyState()
    {
        KmsException exception = Failure(KeyCall(), 422, "{\"code\":\"UNPROCESSABLE_ENTITY\",\"msg\":\"Invalid status\",\"data\":null}");

        Assert.Equal("InvalidKeyState", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidState, exception.Kind);
        Assert.Equal(422, exception.StatusCode);
        Assert.Equal("UNPROCESSABLE_ENTITY", exception.NcpCode);
        Assert.Equal("Invalid status", exception.NcpMessage);
        Assert.Equal(Tag, exception.KeyTag);
    }

    [Theory]
    [InlineData("FAIL", "ServiceError", KmsErrorKind.Unknown)]
    [InlineData("INVALID_REQUEST", "InvalidRequest", KmsErrorKind.InvalidArgument)]
    [InlineData("UNAUTHORIZED", "AuthenticationFailed", KmsErrorKind.Authentication)]
    [InlineData("FORBIDDEN", "PermissionDenied", KmsErrorKind.PermissionDenied)]
    [InlineData("UNPROCESSABLE_ENTITY", "InvalidKeyState", KmsErrorKind.InvalidState)]
    [InlineData("INTERNAL_SERVER_ERROR", "ServiceUnavailable", KmsErrorKind.Unavailable)]
    [InlineData("KEY_NOT_FOUND", "KeyNotFound", KmsErrorKind.NotFound)]
    [InlineData("4001", "ServiceError", KmsErrorKind.Unknown)]
    public void HTTP_200_with_a_code_other_than_SUCCESS_is_a_failure_classified_by_the_code(string code, string reason, KmsErrorKind kind)
    {
        KmsException exception = Failure(KeyCall(), 200, $"{{\"code\":\"{code}\",\"msg\":\"something went wrong\",\"data\":null}}");

        Assert.Equal(reason, exception.Reason);
        Assert.Equal(kind, exception.Kind);
        Assert.Equal(200, exception.StatusCode);
        Assert.Equal(code, exception.NcpCode);
        Assert.Equal("something went wrong", exception.NcpMessage);
    }

    [Fact]
    public void A_KMS_error_without_msg_has_no_message()
    {
        KmsException exception = Failure(KeyCall(), 400, "{\"code\":\"INVALID_REQUEST\"}");

        Assert.Equal("InvalidRequest", exception.Reason);
        Assert.Null(exception.NcpMessage);
        Assert.Contains("code INVALID_REQUEST.", exception.Message, StringComparison.Ordinal);
    }

    // ---- standardized errors (shape C) ----

    [Fact]
    public void The_v3_shape_with_detail_is_read()
    {
        KmsException exception = Failure(KeyCall(), 404,
            "{\"error\":{\"errorCode\":\"NotFound\",\"message\":\"The key does not exist.\",\"detail\":\"keyTag a1b2c3d4e5f6\",\"fieldErrors\":[{\"field\":\"keyTag\",\"message\":\"unknown\"}]}}",
            ("x-ncp-request-id", "v3-req-9"));

        Assert.Equal("KeyNotFound", exception.Reason);
        Assert.Equal("NotFound", exception.NcpCode);
        Assert.Equal("The key does not exist. (keyTag a1b2c3d4e5f6)", exception.NcpMessage);
        Assert.Equal("v3-req-9", exception.RequestId);
    }

    // ---- HTML, empty and non-JSON bodies ----

    [Fact]
    public void HTML_in_a_gateway_message_is_stripped()
    {
        KmsException exception = Failure(KeyCall(), 429,
            "{\"error\":{\"errorCode\":\"410\",\"message\":\"Throttle Limited.<br/>Please try again <b>in a few minutes</b>\",\"details\":\"<p>rate &amp; quota</p>\"}}");

        Assert.Equal("Throttle Limited. Please try again in a few minutes (rate & quota)", exception.NcpMessage);
        Assert.DoesNotContain("<", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HTML_in_a_KMS_msg_is_stripped()
    {
        KmsException exception = Failure(KeyCall(), 422, "{\"code\":\"UNPROCESSABLE_ENTITY\",\"msg\":\"<span>Invalid</span> <i>status</i>\"}");

        Assert.Equal("Invalid status", exception.NcpMessage);
    }

    [Fact]
    public void An_empty_body_takes_code_and_message_from_the_gateway_headers()
    {
        KmsException exception = Failure(KeyCall(), 401, string.Empty,
            ("x-ncp-apigw-error-code", "200"), ("x-ncp-apigw-error-message", "Authentication Failed"), ("x-ncp-apigw-request-id", "hdr-req"));

        Assert.Equal("AuthenticationFailed", exception.Reason);
        Assert.Equal("200", exception.NcpCode);
        Assert.Equal("Authentication Failed", exception.NcpMessage);
        Assert.Equal("hdr-req", exception.RequestId);
    }

    [Fact]
    public void An_empty_429_body_with_gateway_headers_is_Throttled()
    {
        KmsException exception = Failure(KeyCall(), 429, string.Empty, ("x-ncp-apigw-error-code", "410"), ("x-ncp-apigw-error-message", "Throttle Limited"));

        Assert.Equal("Throttled", exception.Reason);
        Assert.Equal("410", exception.NcpCode);
    }

    [Fact]
    public void An_empty_body_without_headers_is_classified_by_the_status()
    {
        KmsException exception = Failure(KeyCall(), 503, string.Empty);

        Assert.Equal("ServiceUnavailable", exception.Reason);
        Assert.Null(exception.NcpCode);
        Assert.Contains("HTTP 503", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JSON_error_status_without_error_fields_uses_the_gateway_headers()
    {
        KmsException exception = Failure(KeyCall(), 403, "{\"unexpected\":true}", ("x-ncp-apigw-error-code", "230"), ("x-ncp-apigw-error-message", "Forbidden"));

        Assert.Equal("PermissionDenied", exception.Reason);
        Assert.Equal("230", exception.NcpCode);
        Assert.Equal("Forbidden", exception.NcpMessage);
    }

    [Fact]
    public void An_HTML_error_page_on_502_is_ServiceUnavailable_with_the_tags_stripped()
    {
        const string page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

        KmsException exception = Failure(KeyCall(), 502, page);

        Assert.Equal("ServiceUnavailable", exception.Reason);
        Assert.Equal(502, exception.StatusCode);
        Assert.NotNull(exception.NcpMessage);
        Assert.Contains("502 Bad Gateway", exception.NcpMessage, StringComparison.Ordinal);
        Assert.Contains("nginx", exception.NcpMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("<", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_HTML_error_page_leaves_no_markup_in_the_message()
    {
        // The 200-character snippet limit falls inside the "</p>" tag: stripping after cutting leaves "</" behind.
        string page = "<html><body><p>" + new string('x', 183) + "</p><p class=\"hint\">Please try again in a few minutes</p></body></html>";

        KmsException exception = Failure(KeyCall(), 502, page);

        Assert.Equal("ServiceUnavailable", exception.Reason);
        Assert.DoesNotContain("<", exception.NcpMessage ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("<", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_JSON_200_body_is_InvalidResponse_with_a_snippet()
    {
        KmsException exception = Failure(KeyCall(), 200, "Service moved to a new address");

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidResponse, exception.Kind);
        Assert.Equal(200, exception.StatusCode);
        Assert.Contains("Service moved to a new address", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_snippet_of_a_long_body_is_cut_at_200_characters()
    {
        string body = new string('a', 200) + "ZZZZ-after-the-cut";

        KmsException exception = Failure(KeyCall(), 200, body);

        Assert.Contains(new string('a', 200) + "...", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ZZZZ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_200_body_is_InvalidResponse()
    {
        KmsException exception = Failure(KeyCall(), 200, string.Empty);

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("(empty body)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"SUCCESS\"")]
    [InlineData("{\"data\":{\"keyTag\":\"abc\"}}")]
    [InlineData("{\"code\":null,\"data\":{}}")]
    public void A_200_answer_without_a_code_is_InvalidResponse(string body)
    {
        KmsException exception = Failure(KeyCall(), 200, body);

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("'code'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":{\"version\":4,\"rotatedDate\":1733462407906}}", "'keyTag'")]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":{\"keyTag\":\"abc\",\"rotatedDate\":1733462407906}}", "'version'")]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":{\"keyTag\":\"abc\",\"version\":\"four\",\"rotatedDate\":1733462407906}}", "'version'")]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":{\"keyTag\":\"abc\",\"version\":4}}", "'rotatedDate'")]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":null}", "'keyTag'")]
    [InlineData("{\"code\":\"SUCCESS\"}", "'keyTag'")]
    [InlineData("{\"code\":\"SUCCESS\",\"data\":[1,2]}", "'keyTag'")]
    public void A_missing_or_mistyped_field_in_data_is_InvalidResponse(string body, string field)
    {
        var exception = Assert.Throws<KmsException>(() => Read(KeyCall(), 200, body, KeyRotation.FromJson));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidResponse, exception.Kind);
        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.Null(exception.InnerException as NullReferenceException);
    }

    [Fact]
    public void A_reader_that_touches_an_absent_data_element_is_InvalidResponse()
    {
        var exception = Assert.Throws<KmsException>(() => Read(KeyCall(), 200, "{\"code\":\"SUCCESS\"}", data => data.GetProperty("keyTag").GetString()));

        Assert.Equal("InvalidResponse", exception.Reason);
    }

    // ---- sensitive answers ----

    public static TheoryData<int, string> BodiesCarryingTheMarker => new()
    {
        { 200, Marker + " is not JSON" },
        { 200, "{\"plaintext\":\"" + Marker + "\"}" },
        { 200, "{\"code\":\"SUCCESS\",\"data\":{\"plaintext\":\"" + Marker + "\"}}" },
        { 500, "<html><body>" + Marker + "</body></html>" },
        { 502, Marker },
    };

    [Theory]
    [MemberData(nameof(BodiesCarryingTheMarker))]
    public void SensitiveResponse_hides_the_body_in_every_message(int status, string body)
    {
        KmsRequest request = KmsRequest.ForKey(HttpMethod.Post, "Decrypt", Tag, "decrypt", sensitiveResponse: true);

        var exception = Assert.Throws<KmsException>(() => Read(request, status, body, data => JsonFields.RequiredString(data, "keyTag")));

        Assert.DoesNotContain(Marker, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, exception.NcpMessage ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BodiesCarryingTheMarker))]
    public void Without_SensitiveResponse_the_body_snippet_is_shown(int status, string body)
    {
        KmsRequest request = KmsRequest.ForKey(HttpMethod.Post, "Decrypt", Tag, "decrypt");

        var exception = Assert.Throws<KmsException>(() => Read(request, status, body, data => JsonFields.RequiredString(data, "keyTag")));

        Assert.Contains(Marker, exception.Message, StringComparison.Ordinal);
    }

    // ---- request ids ----

    [Fact]
    public void The_request_id_comes_from_x_ncp_apigw_request_id_first()
    {
        KmsException exception = Failure(KeyCall(), 403, Gateway("\"230\"", "Forbidden"),
            ("x-ncp-apigw-request-id", "apigw-id"), ("x-ncp-request-id", "v3-id"));

        Assert.Equal("apigw-id", exception.RequestId);
        Assert.Contains("Request id: apigw-id.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_id_falls_back_to_x_ncp_request_id()
    {
        KmsException exception = Failure(KeyCall(), 403, Gateway("\"230\"", "Forbidden"), ("x-ncp-request-id", "v3-id"));

        Assert.Equal("v3-id", exception.RequestId);
    }

    [Fact]
    public void Without_request_id_headers_there_is_none()
    {
        KmsException exception = Failure(KeyCall(), 403, Gateway("\"230\"", "Forbidden"));

        Assert.Null(exception.RequestId);
        Assert.DoesNotContain("Request id", exception.Message, StringComparison.Ordinal);
    }

    // ---- clock skew ----

    [Theory]
    [InlineData(7, "behind")]
    [InlineData(-7, "ahead of")]
    public void A_401_with_a_Date_header_seven_minutes_off_is_ClockSkew(int minutes, string direction)
    {
        string date = Now.AddMinutes(minutes).ToString("R", CultureInfo.InvariantCulture);

        KmsException exception = Failure(KeyCall(), 401, Gateway("\"200\"", "Authentication Failed"), ("Date", date));

        Assert.Equal("ClockSkew", exception.Reason);
        Assert.Equal(KmsErrorKind.Authentication, exception.Kind);
        Assert.Matches(@"7[.,]0 minutes " + direction, exception.Message);
        Assert.Equal("200", exception.NcpCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(4)]
    public void A_401_with_a_Date_header_within_five_minutes_stays_AuthenticationFailed(int minutes)
    {
        string date = Now.AddMinutes(minutes).ToString("R", CultureInfo.InvariantCulture);

        KmsException exception = Failure(KeyCall(), 401, Gateway("\"200\"", "Authentication Failed"), ("Date", date));

        Assert.Equal("AuthenticationFailed", exception.Reason);
        Assert.DoesNotContain("clock", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a date")]
    public void A_401_without_a_usable_Date_header_stays_AuthenticationFailed(string? date)
    {
        KmsException exception = date is null
            ? Failure(KeyCall(), 401, Gateway("\"200\"", "Authentication Failed"))
            : Failure(KeyCall(), 401, Gateway("\"200\"", "Authentication Failed"), ("Date", date));

        Assert.Equal("AuthenticationFailed", exception.Reason);
    }

    [Fact]
    public void Clock_skew_is_reported_only_for_authentication_failures()
    {
        string date = Now.AddMinutes(10).ToString("R", CultureInfo.InvariantCulture);

        KmsException exception = Failure(KeyCall(), 401, Gateway("\"210\"", "Permission Denied"), ("Date", date));

        Assert.Equal("PermissionDenied", exception.Reason);
    }
}
