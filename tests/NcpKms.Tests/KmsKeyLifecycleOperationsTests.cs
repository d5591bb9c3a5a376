using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsKeyLifecycleOperationsTests
{
    // Requests and responses of ncp-kms-api.md §8.1.2–§8.3.1, verbatim.
    private const string CreateKeyRequest = """{"keyName":"app-key","keyType":"AES256","memo":"","isConvergent":false,"isAutoRotation":true,"rotationPeriod":90,"protectionType":"BASIC"}""";
    private const string CreateKeyResponse = """{"code":"SUCCESS","data":{"keyId":1234,"keyTag":"a1b2...z6","keyName":"app-key","keyType":"AES256","status":"ENABLE","keystoreId":56,"protectionType":"BASIC","memo":"","isConvergent":false,"isAutoRotation":true,"rotationPeriod":90,"nextRotationDate":1741228211270,"registerDate":1733452211270}}""";
    private const string UpdateNameResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2c*****4y5z6","keyName":"newKeyName"}}""";
    private const string UpdateMemoResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","memo":"{KEY_DESCRIPTION}"}}""";
    private const string EnableKeyResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","status":"ENABLE","statusDate":1733452211270}}""";
    private const string DisableKeyResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","status":"DISABLE","statusDate":1733458650081}}""";
    private const string RequestDeletionResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","status":"REVOKE","statusDate":1733468239421}}""";
    private const string CancelDeletionResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","status":"DISABLE","statusDate":1733469039339}}""";
    private const string DeleteKeyResponse = """{"code":"SUCCESS","data":null}""";
    private const string EnableAutoRotationResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","isAutoRotation":true,"rotationPeriod":90,"nextRotationDate":1741238407906}}""";
    private const string DisableAutoRotationResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","isAutoRotation":false}}""";
    private const string RotationPeriodResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","rotationPeriod":90,"nextRotationDate":1741238407906}}""";
    private const string EnableVersionResponse = """{"code":"SUCCESS","data":{"version":1,"status":"ENABLE","statusDate":1733460541703}}""";
    private const string DisableVersionResponse = """{"code":"SUCCESS","data":{"version":1,"status":"DISABLE","statusDate":1733461810876}}""";
    private const string MigrateResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2c*****4y5z6","targetRegion":"KR"}}""";

    private const string Tag = "a1b2c3d4e5f6";

    private static long EpochMs(DateTime? date)
    {
        Assert.NotNull(date);
        Assert.Equal(DateTimeKind.Utc, date.Value.Kind);
        return new DateTimeOffset(date.Value).ToUnixTimeMilliseconds();
    }

    private static void AssertRequest(FakeHandler handler, HttpMethod method, string path, string? body = null)
    {
        CapturedRequest request = handler.Single;
        Assert.Equal(method, request.Method);
        Assert.Equal("/kms/v1/keys" + path, request.RequestUri.PathAndQuery);
        Assert.Equal(body, request.Body is null ? null : Encoding.UTF8.GetString(request.Body));
        if (body is not null) Assert.Equal("application/json", request.ContentType);
    }

    [Fact]
    public void CreateKeyBody_matches_the_reference_request()
    {
        var options = new NewKeyOptions("app-key", "AES256") { Memo = "", AutoRotationPeriodDays = 90 };

        Assert.Equal(CreateKeyRequest, Encoding.UTF8.GetString(KmsKeyLifecycleOperations.CreateKeyBody(options)));
    }

    [Fact]
    public void CreateKeyBody_always_sends_isAutoRotation_and_protectionType_and_leaves_out_memo_and_period_when_not_given()
    {
        var options = new NewKeyOptions("app1", "RSA2048");

        Assert.Equal("""{"keyName":"app1","keyType":"RSA2048","isConvergent":false,"isAutoRotation":false,"protectionType":"BASIC"}""",
            Encoding.UTF8.GetString(KmsKeyLifecycleOperations.CreateKeyBody(options)));
    }

    [Fact]
    public void CreateKeyBody_sends_convergent_HSM_and_a_memo_as_given()
    {
        var options = new NewKeyOptions("app1", "AES256") { ProtectionType = "COMMON_HSM", IsConvergent = true, Memo = "결제 \"키\"" };

        Assert.Equal("""{"keyName":"app1","keyType":"AES256","memo":"\uACB0\uC81C \u0022\uD0A4\u0022","isConvergent":true,"isAutoRotation":false,"protectionType":"COMMON_HSM"}""",
            Encoding.UTF8.GetString(KmsKeyLifecycleOperations.CreateKeyBody(options)));
    }

    [Theory]
    [InlineData("RSA2048")]
    [InlineData("ECDSA")]
    public void Validate_refuses_a_convergent_key_that_is_not_AES256(string keyType)
    {
        var exception = Assert.Throws<KmsException>(() => new NewKeyOptions("app1", keyType) { IsConvergent = true }.Validate("Name"));

        Assert.Equal("ConvergentRequiresAes256", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("-Convergent", exception.Message, StringComparison.Ordinal);
        Assert.Contains(keyType, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_checks_the_key_name_first_and_names_the_parameter()
    {
        var exception = Assert.Throws<KmsException>(() => new NewKeyOptions("x", "ECDSA") { IsConvergent = true }.Validate("Name"));

        Assert.Equal("InvalidKeyName", exception.Reason);
        Assert.Contains("-Name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_a_convergent_AES256_key()
    {
        new NewKeyOptions("app1", "AES256") { IsConvergent = true }.Validate("Name");
    }

    [Fact]
    public async Task CreateKeyAsync_posts_the_body_and_reads_the_new_key()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(CreateKeyResponse);
        var options = new NewKeyOptions("app-key", "AES256") { Memo = "", AutoRotationPeriodDays = 90 };

        Key key = (await connection.CreateKeyAsync(options, CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Post, "", CreateKeyRequest);
        Assert.Equal("a1b2...z6", key.KeyTag);
        Assert.Equal("app-key", key.KeyName);
        Assert.Equal("AES256", key.KeyType);
        Assert.Equal("ENABLE", key.Status);
        Assert.Equal(56L, key.KeystoreId);
        Assert.Equal("BASIC", key.ProtectionType);
        Assert.True(key.IsAutoRotation);
        Assert.Equal(90, key.RotationPeriod);
        Assert.Equal(1741228211270, EpochMs(key.NextRotationDate));
        Assert.Equal(1733452211270, EpochMs(key.RegisterDate));
    }

    [Fact]
    public async Task UpdateKeyNameAsync_puts_the_name_and_returns_the_confirmed_name()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(UpdateNameResponse);

        string name = (await connection.UpdateKeyNameAsync(Tag, "newKeyName", CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Put, "/" + Tag + "/name", """{"keyName":"newKeyName"}""");
        Assert.Equal("newKeyName", name);
    }

    [Fact]
    public async Task UpdateMemoAsync_puts_the_memo_and_returns_the_confirmed_memo()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(UpdateMemoResponse);

        string memo = (await connection.UpdateMemoAsync(Tag, "{KEY_DESCRIPTION}", CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Put, "/" + Tag + "/memo", """{"memo":"{KEY_DESCRIPTION}"}""");
        Assert.Equal("{KEY_DESCRIPTION}", memo);
    }

    [Fact]
    public async Task UpdateMemoAsync_sends_an_empty_memo_to_clear_it()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect("""{"code":"SUCCESS","data":{"keyTag":"t","memo":""}}""");

        string memo = (await connection.UpdateMemoAsync(Tag, "", CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Put, "/" + Tag + "/memo", """{"memo":""}""");
        Assert.Equal("", memo);
    }

    public static TheoryData<string, string, string, long> StatusCalls => new()
    {
        { "enable", EnableKeyResponse, "ENABLE", 1733452211270 },
        { "disable", DisableKeyResponse, "DISABLE", 1733458650081 },
        { "request-deletion", RequestDeletionResponse, "REVOKE", 1733468239421 },
        { "cancel-deletion", CancelDeletionResponse, "DISABLE", 1733469039339 },
    };

    private static Task<KmsResult<KeyStatus>> CallStatus(KmsConnection connection, string action) => action switch
    {
        "enable" => connection.EnableKeyAsync(Tag, CancellationToken.None),
        "disable" => connection.DisableKeyAsync(Tag, CancellationToken.None),
        "request-deletion" => connection.RequestKeyDeletionAsync(Tag, CancellationToken.None),
        _ => connection.CancelKeyDeletionAsync(Tag, CancellationToken.None),
    };

    [Theory]
    [MemberData(nameof(StatusCalls))]
    public async Task Status_calls_post_without_a_body_and_read_the_status(string action, string response, string status, long statusDate)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(response);

        KeyStatus result = (await CallStatus(connection, action)).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/" + action);
        Assert.Equal(Tag, result.KeyTag);
        Assert.Equal(status, result.Status);
        Assert.Equal(statusDate, EpochMs(result.StatusDate));
        Assert.Equal($"{Tag} {status}", result.ToString());
    }

    [Fact]
    public async Task A_status_answer_without_statusDate_leaves_it_null()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"keyTag":"t","status":"ENABLE","statusDate":null}}""");

        KeyStatus result = (await connection.EnableKeyAsync(Tag, CancellationToken.None)).Value;

        Assert.Null(result.StatusDate);
    }

    [Fact]
    public async Task A_status_answer_without_status_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"keyTag":"t"}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.DisableKeyAsync(Tag, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("'status'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_a_REVOKE_key_is_InvalidKeyState_about_that_key()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"UNPROCESSABLE_ENTITY","msg":"Invalid status","data":null}""", (HttpStatusCode)422);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.EnableKeyAsync(Tag, CancellationToken.None));

        Assert.Equal("InvalidKeyState", exception.Reason);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains("Enable Key for key 'a1b2c3d4e5f6'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteKeyAsync_sends_DELETE_on_the_key_and_accepts_data_null()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(DeleteKeyResponse);

        string deleted = (await connection.DeleteKeyAsync(Tag, CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Delete, "/" + Tag);
        Assert.Equal(Tag, deleted);
    }

    [Fact]
    public async Task EnableAutoRotationAsync_reads_the_whole_policy()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(EnableAutoRotationResponse);

        KeyRotationPolicy policy = (await connection.EnableAutoRotationAsync(Tag, CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/enable-auto-rotation");
        Assert.Equal(Tag, policy.KeyTag);
        Assert.True(policy.IsAutoRotation);
        Assert.Equal(90, policy.RotationPeriod);
        Assert.Equal(1741238407906, EpochMs(policy.NextRotationDate));
    }

    [Fact]
    public async Task DisableAutoRotationAsync_reports_only_that_it_is_off()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(DisableAutoRotationResponse);

        KeyRotationPolicy policy = (await connection.DisableAutoRotationAsync(Tag, CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/disable-auto-rotation");
        Assert.False(policy.IsAutoRotation);
        Assert.Null(policy.RotationPeriod);
        Assert.Null(policy.NextRotationDate);
    }

    [Fact]
    public async Task UpdateRotationPeriodAsync_puts_the_period()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(RotationPeriodResponse);

        KeyRotationPolicy policy = (await connection.UpdateRotationPeriodAsync(Tag, 90, CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Put, "/" + Tag + "/rotation-period", """{"rotationPeriod":90}""");
        Assert.Null(policy.IsAutoRotation);
        Assert.Equal(90, policy.RotationPeriod);
        Assert.Equal(1741238407906, EpochMs(policy.NextRotationDate));
    }

    [Fact]
    public async Task Merge_keeps_what_the_later_answer_does_not_report()
    {
        (KmsConnection enable, _) = FakeKms.Connect(EnableAutoRotationResponse);
        (KmsConnection period, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"keyTag":"t","rotationPeriod":30,"nextRotationDate":1735000000000}}""");
        KeyRotationPolicy first = (await enable.EnableAutoRotationAsync(Tag, CancellationToken.None)).Value;
        KeyRotationPolicy second = (await period.UpdateRotationPeriodAsync(Tag, 30, CancellationToken.None)).Value;

        KeyRotationPolicy merged = first.Merge(second);

        Assert.Equal(Tag, merged.KeyTag);
        Assert.True(merged.IsAutoRotation);
        Assert.Equal(30, merged.RotationPeriod);
        Assert.Equal(1735000000000, EpochMs(merged.NextRotationDate));
    }

    [Theory]
    [InlineData("enable", EnableVersionResponse, "ENABLE", 1733460541703)]
    [InlineData("disable", DisableVersionResponse, "DISABLE", 1733461810876)]
    public async Task Version_calls_post_on_the_version_and_read_its_status(string action, string response, string status, long statusDate)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(response);

        KeyVersion version = (await (action == "enable"
            ? connection.EnableKeyVersionAsync(Tag, 1, CancellationToken.None)
            : connection.DisableKeyVersionAsync(Tag, 1, CancellationToken.None))).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/versions/1/" + action);
        Assert.Equal(Tag, version.KeyTag);
        Assert.Equal(1, version.Version);
        Assert.Equal(status, version.Status);
        Assert.Equal(statusDate, EpochMs(version.StatusDate));
        Assert.Null(version.IsCurrent);
        Assert.Null(version.RotatedDate);
    }

    [Fact]
    public async Task MigrateKeyAsync_posts_the_region_and_reads_the_answer()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(MigrateResponse);

        KeyMigration migration = (await connection.MigrateKeyAsync(Tag, "KR", CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/migrate", """{"targetRegion":"KR"}""");
        Assert.Equal("a1b2c*****4y5z6", migration.KeyTag);
        Assert.Equal("KR", migration.TargetRegion);
        Assert.Equal(Tag, migration.SourceKeyTag);
        Assert.Equal("a1b2c*****4y5z6 (KR)", migration.ToString());
    }

    [Fact]
    public async Task MigrateKeyAsync_sends_the_region_unchanged_and_falls_back_to_the_request_when_the_answer_is_bare()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect("""{"code":"SUCCESS","data":{}}""");

        KeyMigration migration = (await connection.MigrateKeyAsync(Tag, "JP", CancellationToken.None)).Value;

        AssertRequest(handler, HttpMethod.Post, "/" + Tag + "/migrate", """{"targetRegion":"JP"}""");
        Assert.Equal(Tag, migration.KeyTag);
        Assert.Equal("JP", migration.TargetRegion);
    }
}
