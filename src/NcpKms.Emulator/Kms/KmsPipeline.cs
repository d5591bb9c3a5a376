using System;
using System.Globalization;
using System.Threading.Tasks;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The request pipeline: receive → route → authenticate → run → respond, then record. Routing only looks the
/// API up; its 404/405 is answered after authentication, so an unsigned request to an unknown path is still a
/// 401 as at the gateway. Any stage may end the call by throwing a <see cref="KmsFault"/>; later stages are
/// skipped. Fault injection (throttling, fail-next-N, latency, dropping the connection, HTML pages) slots in
/// as further stages.
/// </summary>
internal sealed class KmsPipeline : IHttpHandler
{
    private const string JsonContentType = "application/json;charset=UTF-8";
    private const string RequestIdHeader = "x-ncp-apigw-request-id";

    private readonly EmulatorClock _clock;
    private readonly KmsAuthenticator _authenticator;
    private readonly KmsRouter _router;
    private readonly KmsStore _store;
    private readonly RequestLog _log;

    public KmsPipeline(EmulatorClock clock, KmsAuthenticator authenticator, KmsRouter router, KmsStore store, RequestLog log)
    {
        _clock = clock;
        _authenticator = authenticator;
        _router = router;
        _store = store;
        _log = log;
    }

    public ValueTask HandleAsync(HttpRequest request, HttpResponse response)
    {
        var call = new KmsCall(request, response, _clock.UtcNow);
        try
        {
            Run(call);
        }
        catch (KmsFault fault)
        {
            // Headers stay (the Allow of a 405); a fault never follows a written body, but clear it to be sure.
            response.Body.ResetWrittenCount();
            fault.WriteTo(call);
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

    private void Run(KmsCall call)
    {
        if (call.Request.ProtocolError is HttpProtocolError error)
        {
            // Bytes that did not form a request get the gateway's 400 (or 413 for an oversized body).
            throw KmsFault.Gateway(GatewayErrors.ForProtocolStatus(error.StatusCode), error.Detail);
        }

        // Keys whose 72 hours in REVOKE have passed on the emulator clock are gone before anything looks.
        _store.RemoveExpired(call.Now);
        RouteMatch match = _router.Match(call.Request.Method, call.Request.Path);
        call.Route = match.Values;
        call.Api = match.Api;
        call.SubjectKeyTag = match.Values.Find("keyTag");
        _authenticator.Authenticate(call, match);
        KmsApi api = match.Api ?? throw RoutingFault(call, match);
        api.Operation(call);
    }

    private static KmsFault RoutingFault(KmsCall call, RouteMatch match)
    {
        if (!match.IsWrongMethod)
        {
            return KmsFault.Gateway(GatewayErrors.NotFound, "No API at " + call.Request.Method + " " + call.Request.Path);
        }

        call.Response.AddHeader("Allow", match.AllowedMethods!);
        return KmsFault.Gateway(GatewayErrors.MethodNotAllowed, call.Request.Method + " is not allowed on this path; allowed: " + match.AllowedMethods);
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
        RecordActivity(call);
    }

    /// <summary>
    /// Reference §8.7.1: every authenticated call on a key goes to that key's activity log, after its response
    /// is decided, so a log query never sees itself. Calls refused before authentication (a bad signature or
    /// token) stop at the gateway and are not recorded.
    /// </summary>
    private void RecordActivity(KmsCall call)
    {
        if (!call.Authenticated || call.Api is not KmsApi api || call.SubjectKeyTag is not string keyTag)
        {
            return;
        }

        bool token = call.AuthType == KmsAuthenticator.TokenType;
        string message = call.Succeeded ? api.Action + " succeeded" : api.Action + " failed: " + call.Detail;
        _store.AddActivity(keyTag, key => new ActivityRecord(call.Now, key.KeyTag, key.KeyName,
            token ? "token" : call.AccessKey ?? string.Empty, call.ClientIp, api.Action, call.AuthType, call.Succeeded, message));
    }
}
