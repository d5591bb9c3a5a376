using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using NcpKms.Emulator.Faults;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The request pipeline: receive → route → faults → authenticate → run → respond, then record and save the
/// state file. Routing only looks the API up; its 404/405 is answered after authentication, so an unsigned
/// request to an unknown path is still a 401 as at the gateway. Any stage may end the call by throwing a
/// <see cref="KmsFault"/>; later stages are skipped. Injected faults act between routing and authentication,
/// as a gateway's would: they see the key tag of the path (for throttling per key) and take every request that
/// reaches them, signed or not. A drop after the operation and a latency act once the answer is decided and
/// recorded.
/// </summary>
internal sealed class KmsPipeline : IHttpHandler
{
    private const string RequestIdHeader = "x-ncp-apigw-request-id";

    private readonly EmulatorClock _clock;
    private readonly KmsAuthenticator _authenticator;
    private readonly KmsRouter _router;
    private readonly KmsStore _store;
    private readonly RequestLog _log;
    private readonly FaultInjector _faults;
    private readonly StateFile? _state;

    public KmsPipeline(EmulatorClock clock, KmsAuthenticator authenticator, KmsRouter router, KmsStore store, RequestLog log, FaultInjector faults, StateFile? state)
    {
        _clock = clock;
        _authenticator = authenticator;
        _router = router;
        _store = store;
        _log = log;
        _faults = faults;
        _state = state;
    }

    public ValueTask HandleAsync(HttpRequest request, HttpResponse response)
    {
        var call = new KmsCall(request, response, _clock.UtcNow);
        Decide(call);
        if (call.DropsAnswer)
        {
            call.DropAnswer();
        }

        string requestId = Respond(call);
        _log.Add(new EmulatorRequest(call, requestId));
        RecordActivity(call);
        SaveState();
        return _faults.DelayAsync(call);
    }

    /// <summary>
    /// Writes the state file before the answer goes out, so a client that got an answer (or an injected drop
    /// after the operation) finds the change in the file. A write that fails cannot be reported to this client;
    /// the store stays changed, so the next request or Stop-NcpKmsEmulator writes it again and reports a failure.
    /// </summary>
    private void SaveState()
    {
        try
        {
            _state?.SaveIfChanged();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Retried as described above.
        }
    }

    /// <summary>Runs the stages and turns whatever ended them into the answer.</summary>
    private void Decide(KmsCall call)
    {
        try
        {
            Run(call);
        }
        catch (KmsFault fault)
        {
            // Headers stay (the Allow of a 405, an injected Retry-After); a fault never follows a written body, but clear it to be sure.
            call.Response.Body.ResetWrittenCount();
            fault.WriteTo(call);
        }
        catch (Exception e)
        {
            // An emulator bug must still produce a well-formed answer (and a log entry naming the bug).
            call.Response.Reset();
            call.Fail(KmsErrors.Internal, "Emulator error: " + e.GetType().Name + ": " + e.Message);
        }
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
        _faults.Intercept(call);
        _authenticator.Authenticate(call, match);
        KmsApi api = match.Api ?? throw RoutingFault(call, match);
        api.Operation(call);
        // Operations refuse by throwing, so reaching here means the operation did all it was asked.
        call.Applied = true;
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
        response.AddHeader("Content-Type", call.ContentType);
        response.AddHeader("Date", _clock.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        response.AddHeader(RequestIdHeader, requestId);
        return requestId;
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
