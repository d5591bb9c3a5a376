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
/// The window and keyword of Get Key Activity Logs, fixed before the first page and sent with every page.
/// The log grows while it is read (every call on the key, these reads included, adds a record), so an
/// open-ended window would shift the pages and write a record twice or skip one.
/// </summary>
public sealed class ActivityFilter
{
    /// <summary>The service's default window (now minus one day, to now), used for an unset bound.</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(1);

    private ActivityFilter(long fromMilliseconds, long toMilliseconds, string? keyword)
    {
        FromMilliseconds = fromMilliseconds;
        ToMilliseconds = toMilliseconds;
        Keyword = keyword;
    }

    public long FromMilliseconds { get; }

    public long ToMilliseconds { get; }

    public string? Keyword { get; }

    /// <summary>
    /// The window for the given bounds: without <paramref name="to"/> it ends at <paramref name="now"/> (the
    /// caller lets that millisecond pass before the first request, so nothing logged while it pages falls
    /// inside); without <paramref name="from"/> it starts one day before its end. A DateTime of any kind is an
    /// instant: Utc as it is, Local and Unspecified as local time. A start after the end is NcpKms.InvalidDateRange.
    /// </summary>
    public static ActivityFilter Create(DateTime? from, DateTime? to, string? keyword, DateTimeOffset now, string keyTag)
    {
        long end = to is DateTime toValue ? EpochMilliseconds(toValue) : now.ToUnixTimeMilliseconds();
        long start = from is DateTime fromValue ? EpochMilliseconds(fromValue) : Math.Max(0, end - (long)DefaultSpan.TotalMilliseconds);
        if (start > end)
        {
            string endName = to is null ? "the end of the window (now, as -To is not given)" : "-To";
            throw new KmsException("InvalidDateRange", KmsErrorKind.InvalidArgument,
                $"-From ({Utc(start)}) is after {endName} ({Utc(end)}). No request was sent for key '{keyTag}'.") { KeyTag = keyTag };
        }

        return new ActivityFilter(start, end, string.IsNullOrEmpty(keyword) ? null : keyword);
    }

    /// <summary>The query string, built once so the bytes signed are the bytes sent (the keyword is percent-encoded once).</summary>
    public string ToQuery(int pageNo, int pageSize)
    {
        var parameters = new List<(string, string)>
        {
            ("pageNo", Number(pageNo)), ("pageSize", Number(pageSize)),
            ("timestampFrom", Number(FromMilliseconds)), ("timestampTo", Number(ToMilliseconds)),
        };
        if (Keyword is not null) parameters.Add(("keyword", Keyword));
        return KmsRequest.Query(parameters.ToArray());
    }

    /// <summary>Epoch milliseconds of an instant; dates before 1970 become 0, the start of any log.</summary>
    internal static long EpochMilliseconds(DateTime value)
    {
        DateTime utc = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);
        return Math.Max(0, new DateTimeOffset(utc).ToUnixTimeMilliseconds());
    }

    private static string Utc(long epochMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds).ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

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
