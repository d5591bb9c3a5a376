using System;
using System.Buffers;
using System.Text.Json;
using NcpKms.Emulator.Faults;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.Json;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// One request on its way through the pipeline: what came in, the emulator time it arrived, what the
/// authentication and routing stages decided, and the response being built.
/// </summary>
internal sealed class KmsCall
{
    public const string JsonContentType = "application/json;charset=UTF-8";

    public KmsCall(HttpRequest request, HttpResponse response, DateTimeOffset receivedAt)
    {
        Request = request;
        Response = response;
        ReceivedAt = receivedAt;
        Now = receivedAt.ToUnixTimeMilliseconds();
    }

    public HttpRequest Request { get; }

    public HttpResponse Response { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Emulator time in epoch milliseconds; every date an operation writes uses this value.</summary>
    public long Now { get; }

    public string? AccessKey { get; set; }

    public bool Authenticated { get; set; }

    /// <summary>How the call authenticated, as the activity log's <c>data.api.type</c> names it: ACCOUNT or TOKEN.</summary>
    public string AuthType { get; set; } = KmsAuthenticator.AccountType;

    public RouteValues Route { get; set; } = RouteValues.Empty;

    /// <summary>The API the call was routed to; null until routing found one.</summary>
    public KmsApi? Api { get; set; }

    /// <summary>The key whose activity log records this call: the path's key, or the key a Create Key call made.</summary>
    public string? SubjectKeyTag { get; set; }

    /// <summary>The path's {keyTag}.</summary>
    public string KeyTag => Route.Get("keyTag");

    /// <summary>The client address as the IP ACL compares it (dotted IPv4 for the IPv4 loopback the server binds).</summary>
    public string ClientIp => Request.RemoteEndPoint?.Address.MapToIPv4().ToString() ?? string.Empty;

    /// <summary>Why the request was refused, for the request log; null on success.</summary>
    public string? Detail { get; private set; }

    public bool Succeeded => Response.StatusCode == 200;

    /// <summary>The response's Content-Type: KMS JSON unless an injected fault answers otherwise.</summary>
    public string ContentType { get; private set; } = JsonContentType;

    /// <summary>True once the operation ran to the end: its change is in the store, or its read was answered.</summary>
    public bool Applied { get; set; }

    /// <summary>The injected fault that shaped the answer (a <see cref="FaultOutcome"/> name), or null.</summary>
    public string? Fault { get; set; }

    /// <summary>How long an injected latency holds the answer back.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Set by an injected drop that lets the operation run first; the answer is then never sent.</summary>
    public bool DropsAnswer { get; set; }

    public void Succeed<TState>(TState state, Action<Utf8JsonWriter, TState> writeData)
    {
        Response.StatusCode = 200;
        KmsJson.WriteSuccess(Response.Body, state, writeData);
    }

    /// <summary>A success whose <c>data</c> is a flat object of these fields, in this order.</summary>
    public void Succeed(params (string Name, object? Value)[] fields) => Succeed(fields, KmsJson.WriteFields);

    /// <summary>A success with <c>"data": null</c> (reference §4: Delete Key and the token generator changes).</summary>
    public void SucceedWithoutData() => Succeed(0, static (writer, _) => writer.WriteNullValue());

    public void Fail(KmsError error, string detail)
    {
        Detail = detail;
        Response.StatusCode = error.StatusCode;
        KmsJson.WriteKmsError(Response.Body, error.Code, error.Message);
    }

    public void Fail(GatewayError error, string details)
    {
        Detail = details;
        Response.StatusCode = error.StatusCode;
        KmsJson.WriteGatewayError(Response.Body, error.ErrorCode, error.Message, details);
    }

    /// <summary>An answer given as bytes, for injected faults: any status, content type and body, the empty body included.</summary>
    public void Fail(int statusCode, string contentType, ReadOnlySpan<byte> body, string detail)
    {
        Detail = detail;
        Response.StatusCode = statusCode;
        ContentType = contentType;
        Response.Body.Write(body);
    }

    /// <summary>Closes the connection instead of answering (injected): the client gets no response at all.</summary>
    public void Drop(string detail)
    {
        Detail = detail;
        Response.Disposition = ResponseDisposition.Drop;
    }

    /// <summary>The injected drop after the operation: the answer it decided is thrown away, and the log says what it was.</summary>
    public void DropAnswer()
    {
        Fault = FaultOutcome.DroppedAfter;
        string outcome = Applied ? "was applied" : "was refused (" + Detail + ")";
        Drop("Injected fault: connection closed after the operation " + outcome + "; its " + Response.StatusCode + " answer was not sent");
    }
}
