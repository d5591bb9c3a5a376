using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>The outcome of a successful call, with what Verbose output reports about it.</summary>
/// <param name="ServerDate">The answer's Date header: the service's clock, to the second.</param>
public readonly record struct KmsResult<T>(T Value, string RequestLine, int StatusCode, string? RequestId, TimeSpan Elapsed,
    DateTimeOffset? ServerDate = null);

/// <summary>
/// Sends KMS requests for one authentication and endpoint. Every cmdlet goes through here: it authenticates
/// each request (signature v2 with a fresh timestamp, or a token), sends over the shared connection pool,
/// and reads the answer through <see cref="KmsResponseReader"/>.
/// </summary>
public sealed class KmsConnection
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpMessageInvoker _http;

    public KmsConnection(IKmsAuthentication authentication, KmsEndpoint endpoint, HttpMessageInvoker? http = null)
    {
        Authentication = authentication;
        Endpoint = endpoint;
        _http = http ?? KmsHttp.Shared;
    }

    public IKmsAuthentication Authentication { get; }

    public KmsEndpoint Endpoint { get; }

    /// <summary>How many times a failed call is retried, and how long one attempt may take.</summary>
    public KmsRetryPolicy Retry { get; init; } = KmsRetryPolicy.Default;

    /// <summary>The request line a call will use, e.g. "POST /kms/v1/keys/abc/rotate", for Verbose output.</summary>
    public static string RequestLine(KmsRequest request) =>
        $"{request.Method.Method} {KmsEndpoint.ApiPrefix}{request.PathAndQuery}";

    public Task<KmsResult<T>> SendAsync<T>(KmsRequest request, Func<JsonElement, T> readData, CancellationToken cancellationToken) =>
        SendAsync(request, (data, _) => readData(data), cancellationToken);

    /// <summary>Like the other overload, for results that may also need fields of the envelope's root.</summary>
    public async Task<KmsResult<T>> SendAsync<T>(KmsRequest request, Func<JsonElement, JsonElement, T> readData, CancellationToken cancellationToken)
    {
        bool clockCorrected = false;
        for (int retry = 1; ; retry++)
        {
            try
            {
                return await SendOnceAsync(request, readData, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsException failure) when (!clockCorrected && failure.ServerClockOffset is TimeSpan offBy)
            {
                // A refused timestamp with the service's clock in its Date header: correct and try once more.
                clockCorrected = true;
                retry--;
                CorrectClock(KmsClock.OffsetFor(Endpoint) + offBy);
            }
            catch (KmsException failure) when (Retry.DelayBefore(retry, failure, request, Random.Shared) is TimeSpan delay)
            {
                KmsNotices.Verbose($"{request.Describe()}: {Cause(failure)}; retry {retry} of {Retry.MaxRetries} in {delay.TotalSeconds:0.##} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<KmsResult<T>> SendOnceAsync<T>(KmsRequest request, Func<JsonElement, JsonElement, T> readData, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Retry.Timeout);
        using HttpRequestMessage message = CreateMessage(request);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            // The clock the request was signed with, so a stale correction is noticed as well as a skewed clock.
            DateTimeOffset received = KmsClock.Now(Endpoint);
            int status = (int)response.StatusCode;
            Func<string, string?> header = name => HeaderValue(response, name);
            T value = KmsResponseReader.Read(request, status, header, body, readData, received);
            return new KmsResult<T>(value, RequestLine(request), status, KmsResponseReader.RequestIdOf(header), Stopwatch.GetElapsedTime(started),
                response.Headers.Date);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KmsException("Timeout", KmsErrorKind.Timeout,
                $"{request.Describe()} failed: no answer from {Endpoint} within {Retry.Timeout.TotalSeconds:0.###} seconds{MayHaveApplied(request)}")
            { KeyTag = request.KeyTag, OutcomeUnknown = true };
        }
        catch (HttpRequestException exception) when (NeverLeft(exception))
        {
            throw new KmsException("ConnectionFailed", KmsErrorKind.Connection,
                $"{request.Describe()} failed: could not reach {Endpoint}: {exception.Message}", exception)
            { KeyTag = request.KeyTag, NotSent = true };
        }
        catch (HttpRequestException exception)
        {
            throw new KmsException("ConnectionFailed", KmsErrorKind.Connection,
                $"{request.Describe()} failed: the connection to {Endpoint} broke before an answer arrived ({exception.Message}){MayHaveApplied(request)}", exception)
            { KeyTag = request.KeyTag, OutcomeUnknown = true };
        }
    }

    /// <summary>Failures before the request was written: the service cannot have seen it.</summary>
    private static bool NeverLeft(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private static string MayHaveApplied(KmsRequest request) =>
        request.Idempotent ? "." : "; NCP may or may not have applied it, so check the key before repeating it.";

    private static string Cause(KmsException failure) =>
        failure.StatusCode is int status ? $"HTTP {status} ({failure.Reason})" : failure.Reason;

    private void CorrectClock(TimeSpan serviceAheadBy)
    {
        if (KmsClock.Correct(Endpoint, serviceAheadBy))
        {
            KmsNotices.Warning($"The local clock is {Math.Abs(serviceAheadBy.TotalMinutes):0.0} minutes {(serviceAheadBy > TimeSpan.Zero ? "behind" : "ahead of")} "
                + $"the clock of {Endpoint} (by its Date header). NcpKms now signs requests to it with the corrected time for the rest of this session; synchronise the system clock.");
        }

        KmsNotices.Verbose($"Request timestamps for {Endpoint} are now corrected by {serviceAheadBy.TotalSeconds:0} s; trying again.");
    }

    /// <summary>Builds and authenticates the message. The signed path is taken from the final URI, so it is exactly what is sent.</summary>
    private HttpRequestMessage CreateMessage(KmsRequest request)
    {
        var uri = new Uri(Endpoint.ApiRoot + request.PathAndQuery, UriKind.Absolute);
        var message = new HttpRequestMessage(request.Method, uri);
        Authentication.Authenticate(message.Headers, request.Method.Method, uri.PathAndQuery, KmsClock.Now(Endpoint));
        message.Headers.Accept.ParseAdd("application/json");
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = JsonContentType;
        }
        else if (!request.Idempotent)
        {
            // SocketsHttpHandler silently re-sends a body-less request when the connection closes before any
            // answer arrives, even if the service applied it (a rotation done twice). It never re-sends a request
            // that has content, so a state change always carries one: empty, "Content-Length: 0".
            message.Content = new ByteArrayContent(Array.Empty<byte>());
        }

        return message;
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;
}
