using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Tests;

/// <summary>The values of the reference's known-answer vectors V2/V3 (ncp-kms-api.md §3.4).</summary>
internal static class Vectors
{
    public const string Secret = "SECRETKEYSECRETKEYSECRETKEYSECRETKEYSECR";
    public const string AccessKey = "ACCESSKEYACCESSKEYAC";
    public const string Timestamp = "1733462407906";
    public const string RotatePath = "/kms/v1/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate";
    public const string RotateSignature = "zquU/Q9LBlw5lQw5l+fZq+mqcnP5i9m1cToKDSuazPs=";
    public const string ListPath = "/kms/v1/keys?pageNo=1&pageSize=1";
    public const string ListSignature = "Q+xmpxV7HWLF+L9sYHKm0Oj+gGIbhxYWqxzhBrG7+SI=";

    public static byte[] SecretBytes => Encoding.UTF8.GetBytes(Secret);
}

/// <summary>A fake process environment: a dictionary read through the Func the core asks for.</summary>
internal static class FakeEnvironment
{
    public static Func<string, string?> Of(params (string Name, string? Value)[] variables)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach ((string name, string? value) in variables) values[name] = value;
        return name => values.TryGetValue(name, out string? value) ? value : null;
    }
}

/// <summary>A throw-away home directory, deleted again when the test ends.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ncpkms-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string ConfigPath => System.IO.Path.Combine(Path, ".ncloud", "configure");

    public void WriteConfig(string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}

/// <summary>
/// What the fake handler saw of one request (read before the message is disposed). Body is null when no
/// bytes were sent; HasContent tells an empty "Content-Length: 0" body from no content at all.
/// </summary>
internal sealed record CapturedRequest(
    HttpMethod Method,
    Uri RequestUri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    byte[]? Body,
    bool HasContent);

/// <summary>An HttpMessageHandler that records each request and answers with a scripted response.</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _respond;

    public FakeHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public List<CapturedRequest> Requests { get; } = new();

    public CapturedRequest Single => Requests.Count == 1 ? Requests[0] : throw new InvalidOperationException($"{Requests.Count} requests were sent.");

    /// <summary>Answers every request with the same status, JSON body and headers.</summary>
    public static FakeHandler Answering(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        new((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach ((string name, string value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers) headers[header.Key] = string.Join(",", header.Value);
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add(new CapturedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(),
            body is { Length: > 0 } ? body : null, request.Content is not null));
        return await _respond(request, cancellationToken);
    }
}
