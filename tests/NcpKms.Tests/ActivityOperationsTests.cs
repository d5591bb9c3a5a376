using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class ActivityOperationsTests
{
    private const string Tag = "a1b2c3d4e5f6";

    // One item with every field of ncp-kms-api.md §8.7.1 (illustrative values); {0} is the timestamp JSON.
    private const string ItemTemplate = """{"timestamp":{0},"data":{"kmsKey":{"keyTag":"a1b2...z6","keyName":"app-key","nrn":"nrn:..."},"requestor":{"requestType":"API","id":"2045732","ip":"203.0.113.10"},"api":{"result":"SUCCESS","action":"Encrypt","type":"TOKEN"}},"message":"Encrypt succeeded"}""";

    private static readonly DateTime Instant = new(2024, 12, 6, 2, 30, 11, 270, DateTimeKind.Utc);

    private static string Item(string timestampJson = "\"2024-12-06T02:30:11.270Z\"") => ItemTemplate.Replace("{0}", timestampJson, StringComparison.Ordinal);

    private static string Page(int items, string paging) =>
        $$$"""{"code":"SUCCESS","data":{"activityLogList":[{{{string.Join(",", System.Linq.Enumerable.Repeat(Item(), items))}}}]{{{paging}}}}}""";

    private const long InstantMilliseconds = 1733452211270;
    private const long DayMilliseconds = 86_400_000;

    private static readonly ActivityFilter NoFilter = ActivityFilter.Create(null, null, null, Instant, Tag);

    private static string Window(long from, long to) => $"timestampFrom={from}&timestampTo={to}";

    [Fact]
    public async Task A_page_parses_every_field_of_the_reference_item()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(Page(1, ",\"pageSize\":200,\"currentPageNo\":1,\"totalPageNo\":1,\"totalCount\":1"));

        ActivityPage page = (await connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None)).Value;

        KeyActivity activity = Assert.Single(page.Activities);
        Assert.Equal(Instant, activity.Timestamp);
        Assert.Equal(DateTimeKind.Utc, activity.Timestamp!.Value.Kind);
        Assert.Equal(Tag, activity.KeyTag);
        Assert.Equal("app-key", activity.KeyName);
        Assert.Equal("API", activity.RequestType);
        Assert.Equal("2045732", activity.RequestorId);
        Assert.Equal("203.0.113.10", activity.RequestorIp);
        Assert.Equal("Encrypt", activity.Action);
        Assert.Equal("SUCCESS", activity.Result);
        Assert.Equal("TOKEN", activity.AuthType);
        Assert.Equal("Encrypt succeeded", activity.Message);
        Assert.True(page.IsLast);
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/activities?pageNo=1&pageSize=200&{Window(InstantMilliseconds - DayMilliseconds, InstantMilliseconds)}",
            handler.Single.RequestUri.PathAndQuery);
    }

    [Theory]
    [InlineData("\"2024-12-06T02:30:11.270Z\"")]
    [InlineData("\"2024-12-06T11:30:11.270+09:00\"")]
    [InlineData("\"2024-12-06T02:30:11.270\"")]
    [InlineData("\"2024-12-06T02:30:11.2700000+00:00\"")]
    [InlineData("1733452211270")]
    public async Task Timestamps_become_the_same_UTC_instant(string timestampJson)
    {
        (KmsConnection connection, _) = FakeKms.Connect($$$"""{"code":"SUCCESS","data":{"activityLogList":[{{{Item(timestampJson)}}}]}}""");

        KeyActivity activity = Assert.Single((await connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None)).Value.Activities);

        Assert.Equal(DateTimeKind.Utc, activity.Timestamp!.Value.Kind);
        Assert.Equal(Instant.Ticks, activity.Timestamp.Value.Ticks);
    }

    [Fact]
    public async Task An_unreadable_timestamp_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect($$$"""{"code":"SUCCESS","data":{"activityLogList":[{{{Item("\"yesterday\"")}}}]}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("'timestamp'", exception.Message, StringComparison.Ordinal);
    }

    // §11 #9: the docs spell both "kmsKey" and "KmsKey".
    [Fact]
    public async Task Nested_names_match_case_insensitively_and_missing_parts_read_as_null()
    {
        string body = """{"code":"SUCCESS","data":{"activityLogList":[{"timestamp":null,"Data":{"KmsKey":{"KeyName":"app-key"},"api":"not an object"}}]}}""";
        (KmsConnection connection, _) = FakeKms.Connect(body);

        KeyActivity activity = Assert.Single((await connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None)).Value.Activities);

        Assert.Equal("app-key", activity.KeyName);
        Assert.Null(activity.Timestamp);
        Assert.Null(activity.Action);
        Assert.Null(activity.RequestorId);
        Assert.Null(activity.Message);
        Assert.Equal(Tag, activity.KeyTag);
    }

    [Theory]
    [InlineData(200, ",\"currentPageNo\":1,\"totalPageNo\":2", false)]
    [InlineData(200, ",\"currentPageNo\":2,\"totalPageNo\":2", true)]
    [InlineData(200, "", false)]
    [InlineData(3, "", true)]
    [InlineData(0, ",\"currentPageNo\":1,\"totalPageNo\":9", true)]
    public async Task The_last_page_follows_the_paging_fields_or_a_short_page(int items, string paging, bool isLast)
    {
        (KmsConnection connection, _) = FakeKms.Connect(Page(items, paging));

        ActivityPage page = (await connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None)).Value;

        Assert.Equal(items, page.Activities.Count);
        Assert.Equal(isLast, page.IsLast);
    }

    [Fact]
    public async Task A_page_without_a_list_is_an_empty_last_page()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"totalCount":0}}""");

        ActivityPage page = (await connection.GetActivityPageAsync(Tag, NoFilter, 1, 200, CancellationToken.None)).Value;

        Assert.Empty(page.Activities);
        Assert.True(page.IsLast);
    }

    [Fact]
    public void The_query_sends_the_bounds_as_epoch_milliseconds_whatever_the_DateTime_kind()
    {
        DateTime local = Instant.ToLocalTime();
        DateTime unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        string fromUtc = ActivityFilter.Create(Instant, Instant.AddHours(1), null, now, Tag).ToQuery(3, 200);
        string fromLocal = ActivityFilter.Create(local, local.AddHours(1), null, now, Tag).ToQuery(3, 200);
        string fromUnspecified = ActivityFilter.Create(unspecified, unspecified.AddHours(1), null, now, Tag).ToQuery(3, 200);

        Assert.Equal("pageNo=3&pageSize=200&" + Window(InstantMilliseconds, InstantMilliseconds + 3_600_000), fromUtc);
        Assert.Equal(fromUtc, fromLocal);
        Assert.Equal(fromUtc, fromUnspecified);
    }

    // The log grows while it is read, so an open window would shift the pages: every page asks for the same fixed window.
    [Fact]
    public void Unset_bounds_become_the_day_before_the_listing_started_and_stay_fixed()
    {
        Assert.Equal("pageNo=1&pageSize=200&" + Window(InstantMilliseconds - DayMilliseconds, InstantMilliseconds), NoFilter.ToQuery(1, 200));
        Assert.Equal("pageNo=2&pageSize=200&" + Window(InstantMilliseconds - DayMilliseconds, InstantMilliseconds), NoFilter.ToQuery(2, 200));
    }

    [Fact]
    public void A_single_bound_keeps_the_other_at_its_default()
    {
        DateTimeOffset now = Instant.AddDays(30);
        long nowMilliseconds = now.ToUnixTimeMilliseconds();

        Assert.Equal("pageNo=1&pageSize=200&" + Window(InstantMilliseconds, nowMilliseconds),
            ActivityFilter.Create(Instant, null, null, now, Tag).ToQuery(1, 200));
        Assert.Equal("pageNo=1&pageSize=200&" + Window(InstantMilliseconds - DayMilliseconds, InstantMilliseconds),
            ActivityFilter.Create(null, Instant, null, now, Tag).ToQuery(1, 200));
    }

    [Fact]
    public void Dates_before_1970_are_sent_as_the_start_of_the_epoch()
    {
        Assert.Equal("pageNo=1&pageSize=200&" + Window(0, InstantMilliseconds),
            ActivityFilter.Create(DateTime.MinValue, Instant, null, Instant, Tag).ToQuery(1, 200));
        Assert.Equal("pageNo=1&pageSize=200&" + Window(0, InstantMilliseconds),
            ActivityFilter.Create(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Local), Instant, "", Instant, Tag).ToQuery(1, 200));
    }

    [Fact]
    public async Task The_keyword_is_percent_encoded_once_and_signed_as_sent()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(Page(0, ""));
        ActivityFilter filter = ActivityFilter.Create(Instant, Instant, "re-encrypt a/b&c=d 100%+키", Instant, Tag);

        await connection.GetActivityPageAsync(Tag, filter, 1, 200, CancellationToken.None);

        CapturedRequest sent = handler.Single;
        Assert.Equal($"/kms/v1/keys/{Tag}/activities?pageNo=1&pageSize=200&{Window(InstantMilliseconds, InstantMilliseconds)}"
            + "&keyword=re-encrypt%20a%2Fb%26c%3Dd%20100%25%2B%ED%82%A4", sent.RequestUri.PathAndQuery);
        string expected = SignatureV2.Sign(Vectors.SecretBytes, "GET", sent.RequestUri.PathAndQuery, sent.Headers["x-ncp-apigw-timestamp"], Vectors.AccessKey);
        Assert.Equal(expected, sent.Headers["x-ncp-apigw-signature-v2"]);
    }

    [Fact]
    public void From_after_To_is_InvalidDateRange_naming_both_in_UTC()
    {
        var exception = Assert.Throws<KmsException>(() => ActivityFilter.Create(Instant.AddMilliseconds(1), Instant, null, Instant.AddDays(1), Tag));

        Assert.Equal("InvalidDateRange", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains("-From (2024-12-06 02:30:11.271 UTC) is after -To (2024-12-06 02:30:11.270 UTC)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_From_in_the_future_without_To_is_InvalidDateRange_naming_the_end_of_the_window()
    {
        var exception = Assert.Throws<KmsException>(() => ActivityFilter.Create(Instant.AddHours(1), null, null, Instant, Tag));

        Assert.Equal("InvalidDateRange", exception.Reason);
        Assert.Contains("as -To is not given", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_bounds_and_a_local_and_a_UTC_bound_of_one_instant_are_valid()
    {
        Assert.NotNull(ActivityFilter.Create(Instant, Instant, null, Instant, Tag));
        Assert.NotNull(ActivityFilter.Create(Instant.ToLocalTime(), Instant, null, Instant, Tag));
    }

    [Theory]
    [InlineData("""{"code":"SUCCESS","data":null}""")]
    [InlineData("""{"code":"SUCCESS"}""")]
    [InlineData("""{"code":"SUCCESS","data":{}}""")]
    public async Task No_latest_use_record_is_null(string body)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(body);

        Assert.Null((await connection.GetLastUseAsync(Tag, CancellationToken.None)).Value);
        Assert.Equal($"/kms/v1/keys/{Tag}/last-use-info", handler.Single.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task The_latest_use_has_the_shape_of_a_log_item()
    {
        (KmsConnection connection, _) = FakeKms.Connect($$$"""{"code":"SUCCESS","data":{{{Item()}}}}""");

        KeyActivity? lastUse = (await connection.GetLastUseAsync(Tag, CancellationToken.None)).Value;

        Assert.NotNull(lastUse);
        Assert.Equal(Instant, lastUse.Timestamp);
        Assert.Equal("Encrypt", lastUse.Action);
        Assert.Equal("TOKEN", lastUse.AuthType);
        Assert.Equal(Tag, lastUse.KeyTag);
    }
}
