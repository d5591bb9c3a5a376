using System;
using System.Buffers;
using System.Collections.Generic;
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

    /// <summary>
    /// Writes a flat object. Values are strings, booleans, numbers, null, or lists of strings; that covers every
    /// small <c>data</c> shape of the reference, so each operation names its fields instead of having its own writer.
    /// </summary>
    public static void WriteFields(Utf8JsonWriter writer, (string Name, object? Value)[] fields)
    {
        writer.WriteStartObject();
        foreach ((string name, object? value) in fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The paging fields that follow a list (reference §8.1.1, §8.7.1). The activity log also reports its
    /// <c>pageSize</c>; the key list documents no such field.
    /// </summary>
    public static void WritePaging(Utf8JsonWriter writer, Paging paging, bool withPageSize)
    {
        if (withPageSize)
        {
            writer.WriteNumber("pageSize"u8, paging.PageSize);
        }

        writer.WriteNumber("currentPageNo"u8, paging.PageNo);
        writer.WriteNumber("totalPageNo"u8, paging.TotalPageNo);
        writer.WriteNumber("totalCount"u8, paging.TotalCount);
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

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (string item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException("No JSON form for " + value.GetType().Name, nameof(value));
        }
    }
}

/// <summary>Where a page sits in a list: its number and size, and how many items the whole list has.</summary>
internal readonly record struct Paging(int PageNo, int PageSize, int TotalCount)
{
    /// <summary>Zero items fill zero pages.</summary>
    public int TotalPageNo => (int)((TotalCount + (long)PageSize - 1) / PageSize);
}
