using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsConnectionTests
{
    private const string Endpoint = "https://kms.example.test";
    private const string Ok = "{\"code\":\"SUCCESS\",\"data\":{\"ok\":true}}";

    // No retries here: these tests look at one request and its answer; KmsRetryTests covers retrying.
    private static KmsConnection Connect(FakeHandler handler, string endpoint = Endpoint) =>
        new(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"), KmsEndpoint.Parse(endpoint, "test"), new HttpMessageInvoker(handler))
        {
            Retry = new KmsRetryPolicy(0, KmsRetryPolicy.DefaultTimeout),
        };

    private static Task<KmsResult<bool>> Send(KmsConnection connection, KmsRequest request, CancellationToken cancellationToken = default) =>
        connection.SendAsync(request, data => JsonFields.Bool(data, "ok") ?? false, cancellationToken);

    private static KmsRequest Build(string method, string? keyTag, string action, string query) =>
        keyTag is null
            ? KmsRequest.ForKeys(new HttpMethod(method), "Test", query)
            : KmsRequest.ForKey(new HttpMethod(method), "Test", keyTag, action);

    private static void AssertSignedCorrectly(CapturedRequest sent)
    {
        string timestamp = sent.Headers["x-ncp-apigw-timestamp"];
        string expected = SignatureV2.Sign(Vectors.SecretBytes, sent.Method.Method, sent.RequestUri.PathAndQuery, timestamp, Vectors.AccessKey);
        Assert.Equal(expected, sent.Headers["x-ncp-apigw-signature-v2"]);
    }

    [Theory]
    [InlineData("GET", null, "", "pageNo=1&pageSize=200")]
    [InlineData("GET", null, "", "")]
    [InlineData("GET", null, "", "keyword=a%20b%26c%3Dd%ED%82%A4&pageNo=2")]
    [InlineData("POST", "a1b2c3d4e5f6", "rotate", "")]
    [InlineData("GET", "kr-a1b2c3", "", "")]
    [InlineData("DELETE", "a1b2c3", "", "")]
    [InlineData("PUT", "a1b2c3", "rotation-period", "")]
    public async Task The_signature_header_verifies_over_exactly_the_sent_path_and_query(string method, string? keyTag, string action, string query)
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);
        KmsRequest request = Build(method, keyTag, action, query);

        await Send(Connect(handler), request);

        CapturedRequest sent = handler.Single;
        Assert.Equal("/kms/v1" + request.PathAndQuery, sent.RequestUri.PathAndQuery);
        Assert.Equal(method, sent.Method.Method);
        AssertSignedCorrectly(sent);
    }

    [Fact]
    public async Task The_signature_covers_neither_host_nor_port()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler, "https://kms.example.test:8443"), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", "pageNo=1&pageSize=1"));

        CapturedRequest sent = handler.Single;
        Assert.Equal(8443, sent.RequestUri.Port);
        Assert.Equal(Vectors.ListPath, sent.RequestUri.PathAndQuery);
        AssertSignedCorrectly(sent);
    }

    [Fact]
    public async Task The_timestamp_is_epoch_milliseconds_close_to_now()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"));

        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string timestamp = handler.Single.Headers["x-ncp-apigw-timestamp"];
        Assert.Matches("^[0-9]{13}$", timestamp);
        long value = long.Parse(timestamp, CultureInfo.InvariantCulture);
        Assert.InRange(value, before - 1000, after + 1000);
    }

    [Fact]
    public async Task Every_request_gets_a_fresh_timestamp_and_signature()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);
        KmsConnection connection = Connect(handler);

        await Send(connection, KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"));
        await Task.Delay(30);
        await Send(connection, KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"));

        Assert.Equal(2, handler.Requests.Count);
        Assert.NotEqual(handler.Requests[0].Headers["x-ncp-apigw-timestamp"], handler.Requests[1].Headers["x-ncp-apigw-timestamp"]);
        Assert.NotEqual(handler.Requests[0].Headers["x-ncp-apigw-signature-v2"], handler.Requests[1].Headers["x-ncp-apigw-signature-v2"]);
        AssertSignedCorrectly(handler.Requests[1]);
    }

    [Fact]
    public async Task The_access_key_and_accept_headers_are_sent()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"));

        Assert.Equal(Vectors.AccessKey, handler.Single.Headers["x-ncp-iam-access-key"]);
        Assert.Equal("application/json", handler.Single.Headers["Accept"]);
    }

    [Fact]
    public async Task The_secret_is_not_sent_in_any_header()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"));

        foreach (string value in handler.Single.Headers.Values)
            Assert.DoesNotContain(Vectors.Secret, value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", null, "")]
    [InlineData("POST", "a1b2c3", "rotate")]
    [InlineData("DELETE", "a1b2c3", "")]
    public async Task A_request_without_a_body_has_no_content_and_no_Content_Type(string method, string? keyTag, string action)
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler), Build(method, keyTag, action, string.Empty));

        Assert.Null(handler.Single.ContentType);
        Assert.Null(handler.Single.Body);
    }

    [Theory]
    [InlineData("POST", "rotate", true)]
    [InlineData("DELETE", "", true)]
    [InlineData("GET", "versions", false)]
    public async Task A_body_less_state_change_carries_empty_content_so_the_HTTP_stack_never_re_sends_it(string method, string action, bool hasContent)
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler), Build(method, "a1b2c3", action, string.Empty));

        Assert.Equal(hasContent, handler.Single.HasContent);
        Assert.Null(handler.Single.Body);
        Assert.Null(handler.Single.ContentType);
    }

    [Fact]
    public async Task A_request_with_a_body_sends_it_as_application_json_and_signs_only_the_path()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);
        byte[] body = Encoding.UTF8.GetBytes("{\"rotationPeriod\":90}");
        KmsRequest request = KmsRequest.ForKey(HttpMethod.Put, "Update Rotation Period", "a1b2c3", "rotation-period", body);

        await Send(Connect(handler), request);

        CapturedRequest sent = handler.Single;
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(body, sent.Body);
        AssertSignedCorrectly(sent);
    }

    [Theory]
    [InlineData("https://kms.example.test", "kms.example.test", 443)]
    [InlineData("https://kms.example.test:8443", "kms.example.test", 8443)]
    [InlineData("http://127.0.0.1:5080", "127.0.0.1", 5080)]
    public async Task Requests_go_to_the_endpoint_below_kms_v1(string endpoint, string host, int port)
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);

        await Send(Connect(handler, endpoint), KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc", "rotate"));

        Uri uri = handler.Single.RequestUri;
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
        Assert.Equal("/kms/v1/keys/abc/rotate", uri.AbsolutePath);
    }

    [Fact]
    public async Task A_successful_answer_returns_the_value_and_what_Verbose_reports()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok, ("x-ncp-apigw-request-id", "req-42"));

        KmsResult<bool> result = await Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", "pageNo=1&pageSize=200"));

        Assert.True(result.Value);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("req-42", result.RequestId);
        Assert.Equal("GET /kms/v1/keys?pageNo=1&pageSize=200", result.RequestLine);
        Assert.True(result.Elapsed >= TimeSpan.Zero);
    }

    [Fact]
    public void RequestLine_is_the_method_and_the_full_path()
    {
        Assert.Equal("POST /kms/v1/keys/abc/rotate", KmsConnection.RequestLine(KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc", "rotate")));
    }

    [Fact]
    public async Task An_error_answer_becomes_the_readers_KmsException()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.NotFound, "{\"error\":{\"errorCode\":\"300\",\"message\":\"Not Found Exception\"}}",
            ("x-ncp-apigw-request-id", "req-404"));

        var exception = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler), KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", "abc")));

        Assert.Equal("KeyNotFound", exception.Reason);
        Assert.Equal(404, exception.StatusCode);
        Assert.Equal("req-404", exception.RequestId);
        Assert.Equal("abc", exception.KeyTag);
    }

    [Fact]
    public async Task A_refused_timestamp_is_retried_once_on_the_corrected_clock_and_a_second_refusal_is_AuthenticationFailed()
    {
        var handler = new FakeHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                Content = new StringContent("{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\"}}"),
            };
            response.Headers.Date = DateTimeOffset.UtcNow.AddMinutes(9);
            return Task.FromResult(response);
        });

        // Its own endpoint: the clock correction this provokes is process-wide per endpoint.
        const string skewed = "https://skewed-clock.example.test";
        try
        {
            var exception = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler, skewed), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List")));

            Assert.Equal("AuthenticationFailed", exception.Reason);
            Assert.Equal(2, handler.Requests.Count);
            long first = long.Parse(handler.Requests[0].Headers["x-ncp-apigw-timestamp"], CultureInfo.InvariantCulture);
            long second = long.Parse(handler.Requests[1].Headers["x-ncp-apigw-timestamp"], CultureInfo.InvariantCulture);
            Assert.InRange(TimeSpan.FromMilliseconds(second - first), TimeSpan.FromMinutes(8.9), TimeSpan.FromMinutes(9.1));
        }
        finally
        {
            KmsClock.Reset();
        }
    }

    [Fact]
    public async Task A_handler_that_throws_HttpRequestException_is_ConnectionFailed()
    {
        var handler = new FakeHandler((_, _) => throw new HttpRequestException("Name or service not known"));

        var exception = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler), KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc", "rotate")));

        Assert.Equal("ConnectionFailed", exception.Reason);
        Assert.Equal(KmsErrorKind.Connection, exception.Kind);
        Assert.IsType<HttpRequestException>(exception.InnerException);
        Assert.Equal("abc", exception.KeyTag);
        Assert.Contains(Endpoint, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Name or service not known", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_never_answers_times_out_with_Reason_Timeout()
    {
        var handler = new FakeHandler(async (_, token) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        KmsConnection connection = new(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"), KmsEndpoint.Parse(Endpoint, "test"), new HttpMessageInvoker(handler))
        {
            Retry = new KmsRetryPolicy(0, TimeSpan.FromMilliseconds(200)),
        };
        var watch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<KmsException>(() => Send(connection, KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", "abc")));

        Assert.Equal("Timeout", exception.Reason);
        Assert.Equal(KmsErrorKind.Timeout, exception.Kind);
        Assert.Equal("abc", exception.KeyTag);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_cancelled_token_is_an_OperationCanceledException_not_a_KmsException()
    {
        var handler = new FakeHandler(async (_, token) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Exception? thrown = await Record.ExceptionAsync(() => Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"), cancellation.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
    }

    [Fact]
    public async Task Cancelling_while_waiting_is_an_OperationCanceledException_not_a_Timeout()
    {
        var handler = new FakeHandler(async (_, token) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Exception? thrown = await Record.ExceptionAsync(() => Send(Connect(handler), KmsRequest.ForKeys(HttpMethod.Get, "Get Key List"), cancellation.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
    }

    [Fact]
    public void The_default_timeout_is_100_seconds_and_the_parts_are_kept()
    {
        var credential = new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test");
        KmsEndpoint endpoint = KmsEndpoint.Parse(Endpoint, "test");

        var connection = new KmsConnection(credential, endpoint, new HttpMessageInvoker(FakeHandler.Answering(HttpStatusCode.OK, Ok)));

        Assert.Equal(TimeSpan.FromSeconds(100), connection.Retry.Timeout);
        Assert.Equal(3, connection.Retry.MaxRetries);
        Assert.Same(credential, connection.Authentication);
        Assert.Same(endpoint, connection.Endpoint);
    }
}
