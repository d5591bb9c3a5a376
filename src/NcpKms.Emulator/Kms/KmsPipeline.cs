using System;
using System.Globalization;
using System.Threading.Tasks;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Http;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The request pipeline: receive → authenticate → route → respond, then record. Each stage is one method and
/// may end the call by writing an error; later stages are skipped when it does. Fault injection (throttling,
/// fail-next-N, latency, dropping the connection, HTML pages) and token authentication slot in as further
/// stages or as alternatives inside <see cref="Authenticate"/>.
/// </summary>
internal sealed class KmsPipeline : IHttpHandler
{
    private const string JsonContentType = "application/json;charset=UTF-8";
    private const string RequestIdHeader = "x-ncp-apigw-request-id";

    private readonly EmulatorClock _clock;
    private readonly SignatureV2Authenticator _authenticator;
    private readonly KmsRouter _router;
    private readonly RequestLog _log;

    public KmsPipeline(EmulatorClock clock, SignatureV2Authenticator authenticator, KmsRouter router, RequestLog log)
    {
        _clock = clock;
        _authenticator = authenticator;
        _router = router;
        _log = log;
    }

    public ValueTask HandleAsync(HttpRequest request, HttpResponse response)
    {
        var call = new KmsCall(request, response, _clock.UtcNow);
        try
        {
            if (Receive(call) && Authenticate(call))
            {
                Route(call);
            }
        }
        catch (Exception e)
        {
            // An emulator bug must still produce a well-formed answer (and a log entry naming the bug).
            response.Reset();
            call.Fail(KmsErrors.Internal, "Emulator error: " + e.GetType().Name + ": " + e.Message);
        }

        string requestId = Respond(call);
        Record(call, requestId);
        return ValueTask.CompletedTask;
    }

    /// <summary>Bytes that did not form a request get the gateway's 400 (or 413 for an oversized body).</summary>
    private static bool Receive(KmsCall call)
    {
        if (call.Request.ProtocolError is not HttpProtocolError error)
        {
            return true;
        }

        call.Fail(GatewayErrors.ForProtocolStatus(error.StatusCode), error.Detail);
        return false;
    }

    private bool Authenticate(KmsCall call)
    {
        HttpRequest request = call.Request;
        call.AccessKey = request.GetHeader(SignatureV2Authenticator.AccessKeyHeader);
        AuthResult result = _authenticator.Authenticate(
            request.Method,
            request.Target,
            request.GetHeader(SignatureV2Authenticator.TimestampHeader),
            call.AccessKey,
            request.GetHeader(SignatureV2Authenticator.SignatureHeader),
            call.Now);
        call.Authenticated = result.Succeeded;
        if (!result.Succeeded)
        {
            call.Fail(GatewayErrors.AuthenticationFailed, result.Failure ?? "Authentication failed");
        }

        return result.Succeeded;
    }

    private void Route(KmsCall call)
    {
        RouteMatch match = _router.Match(call.Request.Method, call.Request.Path);
        if (match.IsFound)
        {
            call.Route = match.Values;
            match.Operation!(call);
        }
        else if (match.IsWrongMethod)
        {
            call.Response.AddHeader("Allow", match.AllowedMethods!);
            call.Fail(GatewayErrors.MethodNotAllowed, call.Request.Method + " is not allowed on this path; allowed: " + match.AllowedMethods);
        }
        else
        {
            call.Fail(GatewayErrors.NotFound, "No API at " + call.Request.Method + " " + call.Request.Path);
        }
    }

    /// <summary>Adds the headers every response carries; the Date header reads the emulator clock, skew included.</summary>
    private string Respond(KmsCall call)
    {
        string requestId = Guid.NewGuid().ToString();
        HttpResponse response = call.Response;
        response.AddHeader("Content-Type", JsonContentType);
        response.AddHeader("Date", _clock.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        response.AddHeader(RequestIdHeader, requestId);
        return requestId;
    }

    private void Record(KmsCall call, string requestId)
    {
        HttpRequest request = call.Request;
        _log.Add(new EmulatorRequest(
            call.ReceivedAt,
            request.Method,
            request.Target,
            call.Response.StatusCode,
            call.AccessKey,
            call.Authenticated,
            requestId,
            call.Detail));
    }
}
