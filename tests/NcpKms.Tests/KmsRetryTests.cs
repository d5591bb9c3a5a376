using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsRetryTests
{
    private const string Ok = "{\"code\":\"SUCCESS\",\"data\":{\"ok\":true}}";
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(1);

    /// <summary>A handler that answers from a script, one entry per request, then 200.</summary>
    private static FakeHandler Scripted(params Func<HttpResponseMessage>[] script)
    {
        int next = 0;
        return new FakeHandler((_, _) =>
        {
            int index = Interlocked.Increment(ref next) - 1;
            return Task.FromResult(index < script.Length ? script[index]() : Answer(HttpStatusCode.OK, Ok));
        });
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }

    private static HttpResponseMessage Throttled() =>
        Answer((HttpStatusCode)429, "{\"error\":{\"errorCode\":\"410\",\"message\":\"Throttle Limited\"}}", "0");

    private static HttpResponseMessage Unavailable() =>
        Answer(HttpStatusCode.ServiceUnavailable, "{\"error\":{\"errorCode\":\"500\",\"message\":\"Endpoint Error\"}}", "0");

    private static KmsConnection Connect(FakeHandler handler, int maxRetries = 3, string endpoint = "https://retry.example.test") =>
        new(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"), KmsEndpoint.Parse(endpoint, "test"), new HttpMessageInvoker(handler))
        {
            Retry = new KmsRetryPolicy(maxRetries, TimeSpan.FromSeconds(5)),
        };

    private static Task<KmsResult<bool>> Send(KmsConnection connection, KmsRequest request, CancellationToken token = default) =>
        connection.SendAsync(request, data => JsonFields.Bool(data, "ok") ?? false, token);

    private static KmsRequest Rotate() => KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc", "rotate");

    private static KmsRequest Read() => KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", "abc");

    [Fact]
    public async Task Throttling_is_retried_for_every_operation_each_attempt_signed_afresh()
    {
        var handler = Scripted(Throttled, Throttled);

        KmsResult<bool> result = await Send(Connect(handler), Rotate());

        Assert.True(result.Value);
        Assert.Equal(3, handler.Requests.Count);
        long previous = 0;
        foreach (CapturedRequest sent in handler.Requests)
        {
            string timestamp = sent.Headers["x-ncp-apigw-timestamp"];
            Assert.Equal(SignatureV2.Sign(Vectors.SecretBytes, "POST", sent.RequestUri.PathAndQuery, timestamp, Vectors.AccessKey), sent.Headers["x-ncp-apigw-signature-v2"]);
            long milliseconds = long.Parse(timestamp, CultureInfo.InvariantCulture);
            Assert.True(milliseconds >= previous, "each attempt takes the clock anew");
            previous = milliseconds;
        }
    }

    [Fact]
    public async Task A_503_is_retried_for_a_read_but_not_for_a_rotation()
    {
        var readHandler = Scripted(Unavailable);
        var rotateHandler = Scripted(Unavailable);

        await Send(Connect(readHandler), Read());
        var failure = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(rotateHandler), Rotate()));

        Assert.Equal(2, readHandler.Requests.Count);
        Assert.Single(rotateHandler.Requests);
        Assert.Equal("ServiceUnavailable", failure.Reason);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_for_a_read_and_reported_as_outcome_unknown_for_a_rotation()
    {
        int calls = 0;
        var dropping = new FakeHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Task.FromResult(Answer(HttpStatusCode.OK, Ok)));
        var rotateHandler = new FakeHandler((_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        await Send(Connect(dropping), Read());
        var failure = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(rotateHandler), Rotate()));

        Assert.Equal(2, calls);
        Assert.Single(rotateHandler.Requests);
        Assert.True(failure.OutcomeUnknown);
        Assert.Contains("may or may not have applied", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_even_for_a_rotation()
    {
        int calls = 0;
        var handler = new FakeHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
            : Task.FromResult(Answer(HttpStatusCode.OK, Ok)));

        await Send(Connect(handler), Rotate());

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Retries_stop_at_MaxRetries_with_the_last_error()
    {
        var handler = Scripted(Throttled, Throttled, Throttled, Throttled);

        var failure = await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler, maxRetries: 2), Read()));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("Throttled", failure.Reason);
    }

    [Fact]
    public async Task MaxRetries_zero_sends_once()
    {
        var handler = Scripted(Throttled);

        await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler, maxRetries: 0), Read()));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Errors_that_a_retry_cannot_fix_are_not_retried()
    {
        var handler = Scripted(() => Answer(HttpStatusCode.NotFound, "{\"code\":\"NOT_FOUND\",\"msg\":\"Not found\"}"));

        await Assert.ThrowsAsync<KmsException>(() => Send(Connect(handler), Read()));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Each_retry_is_reported_with_its_reason_and_delay()
    {
        var notices = new List<KmsNotice>();
        var handler = Scripted(Throttled);

        using (KmsNotices.Capture(notices.Add)) await Send(Connect(handler), Read());

        KmsNotice notice = Assert.Single(notices);
        Assert.False(notice.IsWarning);
        Assert.Contains("HTTP 429 (Throttled)", notice.Text, StringComparison.Ordinal);
        Assert.Contains("retry 1 of 3 in 0 s", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_during_a_back_off_ends_the_call_at_once()
    {
        var handler = Scripted(() => Answer((HttpStatusCode)429, "{\"error\":{\"errorCode\":\"410\"}}", "30"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Send(Connect(handler), Read(), cancel.Token));

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refused_timestamp_corrects_the_clock_once_warns_and_retries()
    {
        const string endpoint = "https://clock-correction.example.test";
        TimeSpan ahead = TimeSpan.FromMinutes(10);
        var handler = new FakeHandler((request, _) =>
        {
            long sent = long.Parse(request.Headers.GetValues("x-ncp-apigw-timestamp").Single(), CultureInfo.InvariantCulture);
            DateTimeOffset serverNow = DateTimeOffset.UtcNow + ahead;
            bool inWindow = Math.Abs(DateTimeOffset.FromUnixTimeMilliseconds(sent).Subtract(serverNow).TotalMinutes) < 5;
            HttpResponseMessage response = inWindow ? Answer(HttpStatusCode.OK, Ok)
                : Answer(HttpStatusCode.Unauthorized, "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\"}}");
            response.Headers.Date = serverNow;
            return Task.FromResult(response);
        });
        var notices = new List<KmsNotice>();
        try
        {
            using (KmsNotices.Capture(notices.Add))
            {
                await Send(Connect(handler, endpoint: endpoint), Read());
                await Send(Connect(handler, endpoint: endpoint), Read());
            }

            Assert.Equal(3, handler.Requests.Count);
            KmsNotice warning = Assert.Single(notices, notice => notice.IsWarning);
            Assert.Contains("10.0 minutes behind", warning.Text, StringComparison.Ordinal);
        }
        finally
        {
            KmsClock.Reset();
        }
    }

    [Theory]
    [InlineData(1, 0, 500)]
    [InlineData(2, 0, 1000)]
    [InlineData(4, 0, 4000)]
    [InlineData(9, 0, 20000)]
    public void Back_off_is_full_jitter_below_an_exponential_cap(int retry, int min, int max)
    {
        var policy = new KmsRetryPolicy(10, TimeSpan.FromSeconds(5));
        var failure = new KmsException("Throttled", KmsErrorKind.LimitExceeded, "throttled") { StatusCode = 429 };
        var random = new Random(42);

        for (int i = 0; i < 200; i++)
        {
            TimeSpan delay = policy.DelayBefore(retry, failure, Read(), random)!.Value;
            Assert.InRange(delay.TotalMilliseconds, min, max);
        }
    }

    [Fact]
    public void Retry_After_is_honoured_and_a_too_long_one_is_not_waited_for()
    {
        var policy = KmsRetryPolicy.Default;

        Assert.Equal(TimeSpan.FromSeconds(7), policy.DelayBefore(1, new KmsException("Throttled", KmsErrorKind.LimitExceeded, "x") { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(7) }, Read(), new Random(1)));
        Assert.Null(policy.DelayBefore(1, new KmsException("Throttled", KmsErrorKind.LimitExceeded, "x") { StatusCode = 429, RetryAfter = TimeSpan.FromMinutes(5) }, Read(), new Random(1)));
    }

    [Theory]
    [InlineData("3", null, 3, 100)]
    [InlineData(null, "20", 3, 20)]
    [InlineData("0", "1", 0, 1)]
    public void Settings_come_from_the_environment_variables(string? retries, string? timeout, int expectedRetries, int expectedSeconds)
    {
        var environment = new Dictionary<string, string?> { ["NCLOUD_KMS_MAX_RETRIES"] = retries, ["NCLOUD_KMS_TIMEOUT_SEC"] = timeout };

        KmsRetryPolicy policy = KmsSettings.RetryPolicy(name => environment.GetValueOrDefault(name));

        Assert.Equal(expectedRetries, policy.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), policy.Timeout);
    }

    [Theory]
    [InlineData("NCLOUD_KMS_MAX_RETRIES", "eleven")]
    [InlineData("NCLOUD_KMS_MAX_RETRIES", "11")]
    [InlineData("NCLOUD_KMS_TIMEOUT_SEC", "0")]
    [InlineData("NCLOUD_KMS_TIMEOUT_SEC", "-5")]
    public void A_bad_setting_names_the_variable_and_the_rule(string name, string value)
    {
        var failure = Assert.Throws<KmsException>(() => KmsSettings.RetryPolicy(variable => variable == name ? value : null));

        Assert.Equal("InvalidSetting", failure.Reason);
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
        Assert.Contains("whole number from", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_win_over_the_environment()
    {
        KmsRetryPolicy policy = KmsSettings.RetryPolicy(_ => "7", maxRetries: 1, timeoutSeconds: 9);

        Assert.Equal(1, policy.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(9), policy.Timeout);
    }

    private static FakeHandler RotationLost(Func<string> versionsBody) => new((request, _) =>
        request.Method == HttpMethod.Post
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Task.FromResult(DatedNow(Answer(HttpStatusCode.OK, versionsBody()))));

    private static HttpResponseMessage DatedNow(HttpResponseMessage response)
    {
        response.Headers.Date = DateTimeOffset.UtcNow;
        return response;
    }

    private static string Versions(long currentRotatedMs) =>
        "{\"code\":\"SUCCESS\",\"data\":{\"keyTag\":\"abc\",\"currentVersion\":2,\"versionList\":["
        + "{\"version\":1,\"status\":\"ENABLE\",\"statusDate\":1733452211270,\"rotatedDate\":1733452211270},"
        + $"{{\"version\":2,\"status\":\"ENABLE\",\"statusDate\":{currentRotatedMs},\"rotatedDate\":{currentRotatedMs}}}]}}}}";

    [Fact]
    public async Task A_rotation_whose_answer_was_lost_is_reported_from_the_key_versions_and_never_sent_twice()
    {
        long rotatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var handler = RotationLost(() => Versions(rotatedMs));

        // A key of its own: what the process learns of a key's versions is kept for the process.
        string keyTag = "k" + Guid.NewGuid().ToString("n");
        KmsResult<KeyRotation> result = await Connect(handler).RotateKeyAsync(keyTag, default);

        Assert.Equal(2, result.Value.Version);
        Assert.Equal(rotatedMs, new DateTimeOffset(result.Value.RotatedDate).ToUnixTimeMilliseconds());
        Assert.Single(handler.Requests, sent => sent.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_rotation_whose_answer_was_lost_and_that_made_no_version_is_RotationNotApplied()
    {
        var handler = RotationLost(() => Versions(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds()));

        string keyTag = "k" + Guid.NewGuid().ToString("n");
        var failure = await Assert.ThrowsAsync<KmsException>(() => Connect(handler).RotateKeyAsync(keyTag, default));

        Assert.Equal("RotationNotApplied", failure.Reason);
        Assert.False(failure.OutcomeUnknown);
        Assert.Contains("not rotated", failure.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests, sent => sent.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task After_an_answered_rotation_a_lost_one_is_judged_by_version_not_by_time()
    {
        string keyTag = "k" + Guid.NewGuid().ToString("n");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var answered = FakeHandler.Answering(HttpStatusCode.OK, $"{{\"code\":\"SUCCESS\",\"data\":{{\"keyTag\":\"{keyTag}\",\"version\":2,\"rotatedDate\":{now}}}}}");
        await Connect(answered).RotateKeyAsync(keyTag, default);

        // The next rotation is lost before it is applied: version 2, made a moment ago, is the earlier rotation's.
        var failure = await Assert.ThrowsAsync<KmsException>(() => Connect(RotationLost(() => Versions(now))).RotateKeyAsync(keyTag, default));

        Assert.Equal("RotationNotApplied", failure.Reason);
    }

    [Fact]
    public async Task A_lost_rotation_of_a_key_created_a_moment_ago_is_not_mistaken_for_its_creation()
    {
        string keyTag = "k" + Guid.NewGuid().ToString("n");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string onlyVersionOne = $"{{\"code\":\"SUCCESS\",\"data\":{{\"keyTag\":\"{keyTag}\",\"currentVersion\":1,\"versionList\":[{{\"version\":1,\"status\":\"ENABLE\",\"statusDate\":{now},\"rotatedDate\":{now}}}]}}}}";

        var failure = await Assert.ThrowsAsync<KmsException>(() => Connect(RotationLost(() => onlyVersionOne)).RotateKeyAsync(keyTag, default));

        Assert.Equal("RotationNotApplied", failure.Reason);
    }
}
