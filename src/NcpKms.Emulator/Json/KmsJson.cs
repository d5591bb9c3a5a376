using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NcpKms.Emulator.Json;

/// <summary>
/// Writes the three response envelopes of reference §4–5: success <c>{"code":"SUCCESS","data":...}</c>,
/// KMS error (shape B) <c>{"code","msg","data":null}</c> and gateway error (shape A) <c>{"error":{...}}</c>.
/// </summary>
internal static class KmsJson
{
    /// <summary>Non-ASCII text (a Korean memo) is written as UTF-8, as a Java service would, not as \u escapes.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a success envelope; <paramref name="writeData"/> writes the value of <c>data</c>.</summary>
    public static void WriteSuccess<TState>(IBufferWriter<byte> body, TState state, Action<Utf8JsonWriter, TState> writeData)
    {
        using var writer = new Utf8JsonWriter(body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("code"u8, "SUCCESS"u8);
        writer.WritePropertyName("data"u8);
        writeData(writer, state);
        writer.WriteEndObject();
    }

    /// <summary>Shape B. <c>data: null</c> is included, modelled on API 1.0 (reference §5.2, inferred there).</summary>
    public static void WriteKmsError(IBufferWriter<byte> body, string code, string message)
    {
        using var writer = new Utf8JsonWriter(body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("code"u8, code);
        writer.WriteString("msg"u8, message);
        writer.WriteNull("data"u8);
        writer.WriteEndObject();
    }

    /// <summary>Shape A. <c>errorCode</c> is a string, as in the reference's examples (§5.1).</summary>
    public static void WriteGatewayError(IBufferWriter<byte> body, string errorCode, string message, string details)
    {
        using var writer = new Utf8JsonWriter(body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("errorCode"u8, errorCode);
        writer.WriteString("message"u8, message);
        writer.WriteString("details"u8, details);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteNullableNumber(this Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is long number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
