using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsKeyOperationsTests
{
    // The illustrative responses of ncp-kms-api.md §8.1.1, §8.1.3, §8.2.1 and §8.2.5, verbatim.
    private const string KeyListResponse = """{"code":"SUCCESS","data":{"keyList":[{"keyId":1234,"keyTag":"a1b2...z6","keyName":"my-key","keyType":"AES256","status":"ENABLE","protectionType":"BASIC","isConvergent":false,"registerDate":1733452211270,"destroyDate":null}],"currentPageNo":1,"totalPageNo":1,"totalCount":1}}""";
    private const string KeyInfoResponse = """{"code":"SUCCESS","data":{"keyId":1234,"keyTag":"a1b2...z6","keyName":"app-key","nrn":"nrn:...","baseUrl":"https://ocapi.ncloud.com","keyType":"AES256","status":"ENABLE","keystoreId":56,"currentVersion":1,"protectionType":"BASIC","memo":"","isConvergent":false,"isAutoRotation":true,"rotationPeriod":90,"nextRotationDate":1741228211270,"registerDate":1733452211270,"destroyDate":null}}""";
    private const string RotateResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","version":4,"rotatedDate":1733462407906}}""";
    private const string VersionListResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","currentVersion":2,"versionList":[{"version":1,"status":"ENABLE","statusDate":1733452211270,"rotatedDate":1733452211270},{"version":2,"status":"ENABLE","statusDate":1733462407906,"rotatedDate":1733462407906}]}}""";

    private const string Tag = "a1b2c3d4e5f6";
    private const string ListItem = """{"keyId":1,"keyTag":"k1","keyName":"n","keyType":"AES256","status":"ENABLE","protectionType":"BASIC","isConvergent":false,"registerDate":1733452211270}""";

    private static readonly DateTime Registered = new(2024, 12, 6, 2, 30, 11, 270, DateTimeKind.Utc);
    private static readonly DateTime Rotated = new(2024, 12, 6, 5, 20, 7, 906, DateTimeKind.Utc);
    private static readonly DateTime NextRotation = new(2025, 3, 6, 2, 30, 11, 270, DateTimeKind.Utc);

    private static (KmsConnection Connection, FakeHandler Handler) Connect(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeKms.Connect(body, status);

    private static string Page(int keyCount, string pagingInData = "", string pagingAtTop = "")
    {
        string keys = string.Join(",", Enumerable.Repeat(ListItem, keyCount));
        return $"{{\"code\":\"SUCCESS\",\"data\":{{\"keyList\":[{keys}]{pagingInData}}}{pagingAtTop}}}";
    }

    private static void AssertUtc(DateTime expected, DateTime? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(DateTimeKind.Utc, actual.Value.Kind);
        Assert.Equal(expected.Ticks, actual.Value.Ticks);
    }

    [Fact]
    public async Task ListKeysAsync_parses_the_reference_response()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(KeyListResponse);

        KmsResult<KeyPage> result = await connection.ListKeysAsync(1, KmsKeyOperations.MaxPageSize, CancellationToken.None);

        Key key = Assert.Single(result.Value.Keys);
        Assert.Equal(1234L, key.KeyId);
        Assert.Equal("a1b2...z6", key.KeyTag);
        Assert.Equal("my-key", key.KeyName);
        Assert.Equal("AES256", key.KeyType);
        Assert.Equal("ENABLE", key.Status);
        Assert.Equal("BASIC", key.ProtectionType);
        Assert.False(key.IsConvergent);
        AssertUtc(Registered, key.RegisterDate);
        Assert.Null(key.DestroyDate);
        Assert.Null(key.CurrentVersion);
        Assert.Null(key.Nrn);
        Assert.True(result.Value.IsLast);
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal("/kms/v1/keys?pageNo=1&pageSize=200", handler.Single.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task ListKeysAsync_reads_the_list_spelled_KeyList()
    {
        (KmsConnection connection, _) = FakeKms.Connect(KeyListResponse.Replace("\"keyList\"", "\"KeyList\"", StringComparison.Ordinal));

        KmsResult<KeyPage> result = await connection.ListKeysAsync(1, 200, CancellationToken.None);

        Assert.Equal("a1b2...z6", Assert.Single(result.Value.Keys).KeyTag);
    }

    [Theory]
    [InlineData(1, 200, ",\"currentPageNo\":1,\"totalPageNo\":1", true)]
    [InlineData(1, 1, ",\"currentPageNo\":1,\"totalPageNo\":3", false)]
    [InlineData(1, 1, ",\"currentPageNo\":3,\"totalPageNo\":3", true)]
    [InlineData(1, 200, ",\"currentPageNo\":2,\"totalPageNo\":3", false)]
    [InlineData(2, 2, ",\"currentPageNo\":\"2\",\"totalPageNo\":\"2\"", true)]
    [InlineData(1, 1, "", false)]
    [InlineData(2, 2, "", false)]
    [InlineData(1, 200, "", true)]
    [InlineData(0, 200, "", true)]
    [InlineData(0, 200, ",\"currentPageNo\":1,\"totalPageNo\":5", true)]
    public async Task IsLast_comes_from_the_paging_fields_or_else_from_a_short_page(int keyCount, int pageSize, string paging, bool expected)
    {
        (KmsConnection connection, _) = FakeKms.Connect(Page(keyCount, paging));

        KmsResult<KeyPage> result = await connection.ListKeysAsync(1, pageSize, CancellationToken.None);

        Assert.Equal(keyCount, result.Value.Keys.Count);
        Assert.Equal(expected, result.Value.IsLast);
    }

    // ncp-kms-api.md §8.1.1 / §11 #3: the paging fields may sit at the top level; "look in data first, then the top level".
    [Fact]
    public async Task IsLast_reads_paging_fields_at_the_top_level_when_data_has_none()
    {
        (KmsConnection connection, _) = FakeKms.Connect(Page(2, pagingAtTop: ",\"currentPageNo\":2,\"totalPageNo\":2,\"totalCount\":4"));

        KmsResult<KeyPage> result = await connection.ListKeysAsync(2, 2, CancellationToken.None);

        Assert.True(result.Value.IsLast);
    }

    [Fact]
    public async Task A_list_item_without_a_keyTag_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"keyList":[{"keyId":1,"keyName":"n"}]}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.ListKeysAsync(1, 200, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("'keyTag'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_answer_without_a_key_list_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"currentPageNo":1,"totalPageNo":1}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.ListKeysAsync(1, 200, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
    }

    [Fact]
    public async Task GetKeyAsync_parses_the_reference_response()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(KeyInfoResponse);

        Key key = (await connection.GetKeyAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal(1234L, key.KeyId);
        Assert.Equal("a1b2...z6", key.KeyTag);
        Assert.Equal("app-key", key.KeyName);
        Assert.Equal("nrn:...", key.Nrn);
        Assert.Equal("https://ocapi.ncloud.com", key.BaseUrl);
        Assert.Equal("AES256", key.KeyType);
        Assert.Equal("ENABLE", key.Status);
        Assert.Equal(56L, key.KeystoreId);
        Assert.Equal(1, key.CurrentVersion);
        Assert.Equal("BASIC", key.ProtectionType);
        Assert.Equal(string.Empty, key.Memo);
        Assert.False(key.IsConvergent);
        Assert.True(key.IsAutoRotation);
        Assert.Equal(90, key.RotationPeriod);
        AssertUtc(NextRotation, key.NextRotationDate);
        AssertUtc(Registered, key.RegisterDate);
        Assert.Null(key.DestroyDate);
        Assert.Equal("a1b2...z6", key.ToString());
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal("/kms/v1/keys/" + Tag, handler.Single.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task GetKeyVersionsAsync_parses_the_reference_response()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(VersionListResponse);

        IReadOnlyList<KeyVersion> versions = (await connection.GetKeyVersionsAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal(2, versions.Count);
        Assert.Equal(1, versions[0].Version);
        Assert.Equal("ENABLE", versions[0].Status);
        Assert.False(versions[0].IsCurrent);
        AssertUtc(Registered, versions[0].RotatedDate);
        AssertUtc(Registered, versions[0].StatusDate);
        Assert.Equal(2, versions[1].Version);
        Assert.True(versions[1].IsCurrent);
        AssertUtc(Rotated, versions[1].RotatedDate);
        AssertUtc(Rotated, versions[1].StatusDate);
        Assert.All(versions, version => Assert.Equal(Tag, version.KeyTag));
        Assert.Equal($"{Tag} v2", versions[1].ToString());
        Assert.Equal("/kms/v1/keys/" + Tag + "/versions", handler.Single.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task GetKeyVersionsAsync_without_currentVersion_leaves_IsCurrent_unknown()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"versionList":[{"version":1,"status":"ENABLE"}]}}""");

        IReadOnlyList<KeyVersion> versions = (await connection.GetKeyVersionsAsync(Tag, CancellationToken.None)).Value;

        Assert.Null(Assert.Single(versions).IsCurrent);
        Assert.Null(versions[0].RotatedDate);
    }

    [Fact]
    public async Task RotateKeyAsync_parses_the_reference_response()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(RotateResponse);

        KeyRotation rotation = (await connection.RotateKeyAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal("a1b2...z6", rotation.KeyTag);
        Assert.Equal(4, rotation.Version);
        Assert.Equal(DateTimeKind.Utc, rotation.RotatedDate.Kind);
        Assert.Equal(Rotated.Ticks, rotation.RotatedDate.Ticks);
        Assert.Equal(906, rotation.RotatedDate.Millisecond);
        Assert.Equal("a1b2...z6 v4", rotation.ToString());
        Assert.Equal(HttpMethod.Post, handler.Single.Method);
        Assert.Equal("/kms/v1/keys/" + Tag + "/rotate", handler.Single.RequestUri.PathAndQuery);
        Assert.Null(handler.Single.Body);
    }

    [Fact]
    public async Task RotateKeyAsync_of_a_disabled_key_is_InvalidKeyState()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"UNPROCESSABLE_ENTITY","msg":"Invalid status","data":null}""", (HttpStatusCode)422);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.RotateKeyAsync(Tag, CancellationToken.None));

        Assert.Equal("InvalidKeyState", exception.Reason);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains("Rotate Key for key 'a1b2c3d4e5f6'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateKeyAsync_sends_a_second_rotation_of_the_same_key_only_once_the_first_is_answered()
    {
        var firstAnswer = new TaskCompletionSource();
        int sent = 0;
        var handler = new FakeHandler(async (_, token) =>
        {
            if (Interlocked.Increment(ref sent) == 1) await firstAnswer.Task.WaitAsync(token);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(RotateResponse) };
        });
        var connection = new KmsConnection(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"),
            KmsEndpoint.Parse("https://turns.example.test", "test"), new HttpMessageInvoker(handler));

        Task<KmsResult<KeyRotation>> first = connection.RotateKeyAsync(Tag, CancellationToken.None);
        Task<KmsResult<KeyRotation>> second = connection.RotateKeyAsync(Tag, CancellationToken.None);
        await connection.RotateKeyAsync("another-key", CancellationToken.None);

        Assert.Equal(["/kms/v1/keys/" + Tag + "/rotate", "/kms/v1/keys/another-key/rotate"], handler.Requests.Select(request => request.RequestUri.PathAndQuery));
        Assert.False(second.IsCompleted);
        firstAnswer.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal("/kms/v1/keys/" + Tag + "/rotate", handler.Requests[2].RequestUri.PathAndQuery);
    }
}
