using System;
using System.Text.Json;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.Json;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// One request on its way through the pipeline: what came in, the emulator time it arrived, what the
/// authentication and routing stages decided, and the response being built.
/// </summary>
internal sealed class KmsCall
{
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

    public RouteValues Route { get; set; } = RouteValues.Empty;

    /// <summary>Why the request was refused, for the request log; null on success.</summary>
    public string? Detail { get; private set; }

    public void Succeed<TState>(TState state, Action<Utf8JsonWriter, TState> writeData)
    {
        Response.StatusCode = 200;
        KmsJson.WriteSuccess(Response.Body, state, writeData);
    }

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
}
