using System;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// Ends an operation with an error response. Operations throw it from wherever a rule fails (body reading,
/// key lookup, a state check under the store lock) and the pipeline writes it, so each operation reads as the
/// straight sequence of its rules. The message is the detail kept in the request and activity logs.
/// </summary>
internal sealed class KmsFault : Exception
{
    private readonly Action<KmsCall, string> _write;

    private KmsFault(string detail, Action<KmsCall, string> write)
        : base(detail)
    {
        _write = write;
    }

    /// <summary>400 INVALID_REQUEST: a bad body, a missing field, a wrong type, a value out of range.</summary>
    public static KmsFault Invalid(string detail) => Kms(KmsErrors.InvalidRequest, detail);

    public static KmsFault NotFound(string detail) => Kms(KmsErrors.NotFound, detail);

    /// <summary>422 UNPROCESSABLE_ENTITY: the key or version is in a state that does not allow the operation.</summary>
    public static KmsFault InvalidStatus(string detail) => Kms(KmsErrors.InvalidStatus, detail);

    public static KmsFault Gateway(GatewayError error, string details) => new(details, (call, text) => call.Fail(error, text));

    /// <summary>An injected answer of any status, content type and body (fault injection).</summary>
    public static KmsFault Answer(int statusCode, string contentType, byte[] body, string detail) =>
        new(detail, (call, text) => call.Fail(statusCode, contentType, body, text));

    /// <summary>An injected dropped connection: no answer at all.</summary>
    public static KmsFault Drop(string detail) => new(detail, (call, text) => call.Drop(text));

    public void WriteTo(KmsCall call) => _write(call, Message);

    private static KmsFault Kms(KmsError error, string detail) => new(detail, (call, text) => call.Fail(error, text));
}
