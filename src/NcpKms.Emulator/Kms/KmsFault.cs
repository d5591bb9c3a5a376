using System;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// Ends an operation with an error response. Operations throw it from wherever a rule fails (body reading,
/// key lookup, a state check under the store lock) and the pipeline writes it, so each operation reads as the
/// straight sequence of its rules. The message is the detail kept in the request and activity logs.
/// </summary>
internal sealed class KmsFault : Exception
{
    private readonly KmsError? _kmsError;
    private readonly GatewayError? _gatewayError;

    private KmsFault(string detail, KmsError? kmsError, GatewayError? gatewayError)
        : base(detail)
    {
        _kmsError = kmsError;
        _gatewayError = gatewayError;
    }

    /// <summary>400 INVALID_REQUEST: a bad body, a missing field, a wrong type, a value out of range.</summary>
    public static KmsFault Invalid(string detail) => new(detail, KmsErrors.InvalidRequest, null);

    public static KmsFault NotFound(string detail) => new(detail, KmsErrors.NotFound, null);

    /// <summary>422 UNPROCESSABLE_ENTITY: the key or version is in a state that does not allow the operation.</summary>
    public static KmsFault InvalidStatus(string detail) => new(detail, KmsErrors.InvalidStatus, null);

    public static KmsFault Gateway(GatewayError error, string details) => new(details, null, error);

    public void WriteTo(KmsCall call)
    {
        if (_kmsError is not null)
        {
            call.Fail(_kmsError, Message);
        }
        else
        {
            call.Fail(_gatewayError!, Message);
        }
    }
}
