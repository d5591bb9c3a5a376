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
public readonly record struct KmsResult<T>(T Value, string RequestLine, int StatusCode, string? RequestId, TimeSpan Elapsed);

/// <summary>
/// Sends KMS requests for one authentication and endpoint. Every cmdlet goes through here: it authenticates
/// each request (signature v2 with a fresh timestamp, or a token), sends over the shared connection pool,
/// and reads the answer through <see cref="KmsResponseReader"/>.
/// </summary>
public sealed class KmsConnection
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpMessageInvoker _http;

    public KmsConnection(IKmsAuthentication authentication, KmsEndpoint endpoint, HttpMessageInvoker? http = null)
    {
        Authentication = authentication;
        Endpoint = endpoint;
        _http = http ?? KmsHttp.Shared;
    }

    public IKmsAuthentication Authentication { get; }

    public KmsEndpoint Endpoint { get; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The request line a call will use, e.g. "POST /kms/v1/keys/abc/rotate", for Verbose output.</summary>
    public static string RequestLine(KmsRequest request) =>
        $"{request.Method.Method} {KmsEndpoint.ApiPrefix}{request.PathAndQuery}";

    public Task<KmsResult<T>> SendAsync<T>(KmsRequest request, Func<JsonElement, T> readData, CancellationToken cancellationToken) =>
        SendAsync(request, (data, _) => readData(data), cancellationToken);

    /// <summary>Like the other overload, for results that may also need fields of the envelope's root.</summary>
    public async Task<KmsResult<T>> SendAsync<T>(KmsRequest request, Func<JsonElement, JsonElement, T> readData, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using HttpRequestMessage message = CreateMessage(request);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            DateTimeOffset received = DateTimeOffset.UtcNow;
            int status = (int)response.StatusCode;
            Func<string, string?> header = name => HeaderValue(response, name);
            T value = KmsResponseReader.Read(request, status, header, body, readData, received);
            return new KmsResult<T>(value, RequestLine(request), status, KmsResponseReader.RequestIdOf(header), Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KmsException("Timeout", KmsErrorKind.Timeout,
                $"{request.Describe()} failed: no answer from {Endpoint} within {Timeout.TotalSeconds:0.###} seconds.") { KeyTag = request.KeyTag };
        }
        catch (HttpRequestException exception)
        {
            throw new KmsException("ConnectionFailed", KmsErrorKind.Connection,
                $"{request.Describe()} failed: could not reach {Endpoint}: {exception.Message}", exception) { KeyTag = request.KeyTag };
        }
    }

    /// <summary>Builds and authenticates the message. The signed path is taken from the final URI, so it is exactly what is sent.</summary>
    private HttpRequestMessage CreateMessage(KmsRequest request)
    {
        var uri = new Uri(Endpoint.ApiRoot + request.PathAndQuery, UriKind.Absolute);
        var message = new HttpRequestMessage(request.Method, uri);
        Authentication.Authenticate(message.Headers, request.Method.Method, uri.PathAndQuery);
        message.Headers.Accept.ParseAdd("application/json");
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = JsonContentType;
        }

        return message;
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;
}
