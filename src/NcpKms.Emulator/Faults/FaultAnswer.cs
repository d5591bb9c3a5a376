using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Faults;

/// <summary>An injected answer, made once when the fault is set: status, Content-Type, body, and a summary for logs and descriptions.</summary>
internal sealed record FaultAnswer(int StatusCode, string ContentType, byte[] Body, string Summary)
{
    private const string HtmlContentType = "text/html;charset=UTF-8";

    private const string InjectedDetails = "Injected by Set-NcpKmsEmulatorFault";

    /// <summary>
    /// What the gateway documents for a status (reference §5.1): its JSON error body (503 errorCode 500
    /// "Endpoint Error", 504 510, 500 900, 429 410, ...). The table has no row for 502, which proxies in front of
    /// a gateway answer with an HTML page, so 502 gets one. Any other status gets an empty body, as the gateway
    /// sometimes sends (§5.1 "Empty body").
    /// </summary>
    public static FaultAnswer Default(int statusCode)
    {
        if (statusCode == 502)
        {
            return Html(statusCode);
        }

        if (GatewayErrors.ForStatus(statusCode) is not GatewayError error)
        {
            return new FaultAnswer(statusCode, KmsCall.JsonContentType, [], string.Create(CultureInfo.InvariantCulture, $"{statusCode} with an empty body"));
        }

        var body = new ArrayBufferWriter<byte>();
        KmsJson.WriteGatewayError(body, error.ErrorCode, error.Message, InjectedDetails);
        return new FaultAnswer(statusCode, KmsCall.JsonContentType, body.WrittenSpan.ToArray(),
            string.Create(CultureInfo.InvariantCulture, $"{statusCode} with the gateway body (errorCode {error.ErrorCode}, {error.Message})"));
    }

    /// <summary>A gateway-style error page, with tags, as a client that expects JSON must survive (§5.1 "HTML").</summary>
    public static FaultAnswer Html(int statusCode)
    {
        string title = string.Create(CultureInfo.InvariantCulture, $"{statusCode} {HttpStatus.ReasonPhrase(statusCode)}");
        string page = "<!DOCTYPE html>\n<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n"
            + "<p>The server is temporarily unable to service your request. Please try again in a few minutes.</p>\n</body>\n</html>\n";
        return new FaultAnswer(statusCode, HtmlContentType, Encoding.UTF8.GetBytes(page), title + " as an HTML page");
    }

    /// <summary>The body exactly as given (an empty one included), sent as KMS JSON.</summary>
    public static FaultAnswer Raw(int statusCode, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return new FaultAnswer(statusCode, KmsCall.JsonContentType, bytes, string.Create(CultureInfo.InvariantCulture, $"{statusCode} with a given body of {bytes.Length} bytes"));
    }
}
