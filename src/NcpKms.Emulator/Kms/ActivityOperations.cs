using System;
using System.Linq;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>A key's activity log and latest use (reference §8.7); the pipeline records the calls.</summary>
internal sealed class ActivityOperations
{
    private readonly KeyAccess _keys;

    public ActivityOperations(KeyAccess keys) => _keys = keys;

    public void Map(KmsRouter router)
    {
        router.Map("GET", "/kms/v1/keys/{keyTag}/activities", "GetKeyActivityLogs", GetActivities);
        router.Map("GET", "/kms/v1/keys/{keyTag}/last-use-info", "GetLatestUseInfo", GetLatestUse);
    }

    /// <summary>
    /// Reference §8.7.1: <c>keyword</c> matches the action or the message (case-insensitive), the time window
    /// defaults to the last day, pages are 1-200 records (default 100). Inferred: newest first, and a window
    /// that ends before it starts is an invalid request.
    /// </summary>
    private void GetActivities(KmsCall call)
    {
        string query = call.Request.Query;
        long to = QueryString.GetNumber(query, "timestampTo", call.Now, 0, long.MaxValue);
        long from = QueryString.GetNumber(query, "timestampFrom", call.Now - KeyRules.DayMilliseconds, 0, long.MaxValue);
        if (from > to)
        {
            throw KmsFault.Invalid("timestampFrom: must not be after timestampTo");
        }

        string? keyword = QueryString.Get(query, "keyword");
        (int pageNo, int pageSize) = QueryString.GetPage(query);
        ActivityRecord[] matching = Activities(call)
            .Where(r => r.Timestamp >= from && r.Timestamp <= to && Matches(r, keyword))
            .Reverse()
            .ToArray();
        ActivityRecord[] page = matching.Skip((int)Math.Min((long)(pageNo - 1) * pageSize, int.MaxValue)).Take(pageSize).ToArray();
        call.Succeed(new ActivityPage(page, new Paging(pageNo, pageSize, matching.Length), _keys.Store.KeystoreId), ActivityJson.WritePage);
    }

    /// <summary>
    /// Reference §8.7.2: the most recent record, shaped like one log item. Inferred: a key with no record yet
    /// (seeded, never called) answers <c>data: null</c>; a 404 would read as an unknown key.
    /// </summary>
    private void GetLatestUse(KmsCall call)
    {
        ActivityRecord? latest = Activities(call).LastOrDefault();
        if (latest is null)
        {
            call.SucceedWithoutData();
            return;
        }

        call.Succeed((Record: latest, _keys.Store.KeystoreId), static (writer, state) => ActivityJson.WriteRecord(writer, state.Record, state.KeystoreId));
    }

    private ActivityRecord[] Activities(KmsCall call) => _keys.Store.GetActivities(_keys.Find(call).KeyTag) ?? [];

    private static bool Matches(ActivityRecord record, string? keyword) =>
        string.IsNullOrEmpty(keyword)
        || record.Action.Contains(keyword, StringComparison.OrdinalIgnoreCase)
        || record.Message.Contains(keyword, StringComparison.OrdinalIgnoreCase);
}
