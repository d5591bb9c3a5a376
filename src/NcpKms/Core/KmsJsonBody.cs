using System;
using System.Buffers;
using System.Text.Json;

namespace NcpKms.Core;

/// <summary>Builds a request body: one JSON object, UTF-8, written field by field (no reflection).</summary>
public static class KmsJsonBody
{
    public static byte[] Write(Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
