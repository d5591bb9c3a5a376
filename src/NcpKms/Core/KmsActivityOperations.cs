using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>One page of Get Key Activity Logs.</summary>
public sealed record ActivityPage(IReadOnlyList<NcpKms.KeyActivity> Activities, bool IsLast);

/// <summary>
/// The filter of Get Key Activity Logs. Unset bounds are not sent, so the service's defaults apply (from
/// one day ago, to now). A DateTime of any kind is an instant: Utc as it is, Local and Unspecified as
/// local time (DateTimeOffset's rule), sent as epoch milliseconds.
/// </summary>
public sealed record ActivityFilter(DateTime? From, DateTime? To, string? Keyword)
{
    /// <summary>Throws NcpKms.InvalidDateRange when -From is after -To: nothing would match, so nothing is sent.</summary>
    public void Validate(string keyTag)
    {
        if (From is DateTime from && To is DateTime to && EpochMilliseconds(from) > EpochMilliseconds(to))
        {
            throw new KmsException("InvalidDateRange", KmsErrorKind.InvalidArgument,
                $"-From ({Utc(from)}) is after -To ({Utc(to)}). No request was sent for key '{keyTag}'.") { KeyTag = keyTag };
        }
    }

    /// <summary>The query string, built once so the bytes signed are the bytes sent (the keyword is percent-encoded once).</summary>
    public string ToQuery(int pageNo, int pageSize)
    {
        var parameters = new List<(string, string)> { ("pageNo", Number(pageNo)), ("pageSize", Number(pageSize)) };
        if (From is DateTime from) parameters.Add(("timestampFrom", Number(EpochMilliseconds(from))));
        if (To is DateTime to) parameters.Add(("timestampTo", Number(EpochMilliseconds(to))));
        if (!string.IsNullOrEmpty(Keyword)) parameters.Add(("keyword", Keyword));
        return KmsRequest.Query(parameters.ToArray());
    }

    internal static long EpochMilliseconds(DateTime value) => new DateTimeOffset(value).ToUnixTimeMilliseconds();

    private static string Utc(DateTime value) => new DateTimeOffset(value).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The logs and history operations of KMS API 2.0 (ncp-kms-api.md §8.7), as calls on a connection.</summary>
public static class KmsActivityOperations
{
    public static Task<KmsResult<ActivityPage>> GetActivityPageAsync(this KmsConnection connection, string keyTag, ActivityFilter filter,
        int pageNo, int pageSize, CancellationToken cancellationToken)
    {
        var request = KmsRequest.ForKey(HttpMethod.Get, "Get Key Activity Logs", keyTag, "activities?" + filter.ToQuery(pageNo, pageSize));
        return connection.SendAsync(request, (data, root) => ReadPage(keyTag, data, root, pageSize), cancellationToken);
    }

    /// <summary>Get Latest Use Info; null when the answer holds no record (the key has not been used).</summary>
    public static Task<KmsResult<NcpKms.KeyActivity?>> GetLastUseAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Latest Use Info", keyTag, "last-use-info"),
            data => IsRecord(data) ? NcpKms.KeyActivity.FromJson(keyTag, data) : null, cancellationToken);

    private static ActivityPage ReadPage(string keyTag, JsonElement data, JsonElement root, int pageSize)
    {
        var activities = new List<NcpKms.KeyActivity>();
        // A page without the list is an empty page (which ends the listing), not a broken answer.
        if (JsonFields.TryGet(data, "activityLogList", out _))
        {
            foreach (JsonElement item in JsonFields.RequiredArray(data, "activityLogList").EnumerateArray())
                activities.Add(NcpKms.KeyActivity.FromJson(keyTag, item));
        }

        return new ActivityPage(activities, KmsPaging.IsLastPage(data, root, activities.Count, pageSize));
    }

    private static bool IsRecord(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return false;
        foreach (JsonProperty _ in data.EnumerateObject()) return true;
        return false;
    }
}
