using System;
using System.Globalization;
using System.Text.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Json;

/// <summary>The activity-log shapes of reference §8.7.</summary>
internal static class ActivityJson
{
    /// <summary>Every call recorded here came through the API; CONSOLE and SYSTEM do not occur in the emulator.</summary>
    private const string RequestType = "API";

    /// <summary>§8.7.1.</summary>
    public static void WritePage(Utf8JsonWriter writer, ActivityPage page)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("activityLogList"u8);
        foreach (ActivityRecord record in page.Items)
        {
            WriteRecord(writer, record, page.KeystoreId);
        }

        writer.WriteEndArray();
        KmsJson.WritePaging(writer, page.Paging, withPageSize: true);
        writer.WriteEndObject();
    }

    /// <summary>One log item, also the <c>data</c> of Get Latest Use Info (§8.7.2). The timestamp is ISO-8601 UTC with milliseconds.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, ActivityRecord record, int keystoreId)
    {
        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteStartObject("data"u8);
        writer.WriteStartObject("kmsKey"u8);
        writer.WriteString("keyTag"u8, record.KeyTag);
        writer.WriteString("keyName"u8, record.KeyName);
        writer.WriteString("nrn"u8, KeyJson.Nrn(keystoreId, record.KeyTag));
        writer.WriteEndObject();
        writer.WriteStartObject("requestor"u8);
        writer.WriteString("requestType"u8, RequestType);
        writer.WriteString("id"u8, record.RequestorId);
        writer.WriteString("ip"u8, record.Ip);
        writer.WriteEndObject();
        writer.WriteStartObject("api"u8);
        writer.WriteString("result"u8, record.Succeeded ? "SUCCESS" : "FAIL");
        writer.WriteString("action"u8, record.Action);
        writer.WriteString("type"u8, record.AuthType);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("message"u8, record.Message);
        writer.WriteEndObject();
    }
}

/// <summary>One page of a key's activity log as the response reports it.</summary>
internal sealed record ActivityPage(ActivityRecord[] Items, Paging Paging, int KeystoreId);
