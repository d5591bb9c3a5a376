using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class TokenOperationsTests
{
    private const string Tag = "a1b2c3d4e5f6";
    private const string AccessJwt = "eyJhbGciOiJIUzI1NiJ9.eyJraW5kIjoiYWNjZXNzIn0.YWNjZXNz";
    private const string RefreshJwt = "eyJhbGciOiJIUzI1NiJ9.eyJraW5kIjoicmVmcmVzaCJ9.cmVmcmVzaA";

    // The responses of ncp-kms-api.md §8.5.2 (illustrative), §8.5.5 and §8.5.7, with whole tokens for the elided "eyJ...".
    private const string GeneratorResponse = """{"code":"SUCCESS","data":{"tokenGeneratorId":"a1b2...","status":"ACTIVE","enabledDate":1733452211270,"disabledDate":null,"issuedTokenCount":2}}""";
    private const string TokenSetResponse = $$$"""{"code":"SUCCESS","data":{"refreshToken":"{{{RefreshJwt}}}","accessToken":"{{{AccessJwt}}}"}}""";
    private const string AccessTokenResponse = $$$"""{"code":"SUCCESS","data":{"accessToken":"{{{AccessJwt}}}"}}""";
    private const string NoData = """{"code":"SUCCESS","data":null}""";

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task The_generator_changes_send_no_body_and_accept_a_null_data(string method)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(NoData);

        KmsResult<bool> result = method switch
        {
            "POST" => await connection.CreateTokenGeneratorAsync(Tag, CancellationToken.None),
            "PUT" => await connection.ReplaceTokenGeneratorAsync(Tag, CancellationToken.None),
            _ => await connection.DeleteTokenGeneratorAsync(Tag, CancellationToken.None),
        };

        Assert.True(result.Value);
        Assert.Equal(method, handler.Single.Method.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/token-generator", handler.Single.RequestUri.PathAndQuery);
        Assert.Null(handler.Single.Body);
    }

    // §11 #13: Create Token Generator's details are third-party; any data must be accepted.
    [Fact]
    public async Task Creating_a_generator_accepts_an_answer_with_data()
    {
        (KmsConnection connection, _) = FakeKms.Connect(GeneratorResponse);

        Assert.True((await connection.CreateTokenGeneratorAsync(Tag, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task GetTokenGeneratorAsync_parses_the_reference_response()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(GeneratorResponse);

        TokenGenerator generator = (await connection.GetTokenGeneratorAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal(Tag, generator.KeyTag);
        Assert.Equal("a1b2...", generator.TokenGeneratorId);
        Assert.Equal("ACTIVE", generator.Status);
        Assert.Equal(new DateTime(2024, 12, 6, 2, 30, 11, 270, DateTimeKind.Utc), generator.EnabledDate);
        Assert.Equal(DateTimeKind.Utc, generator.EnabledDate!.Value.Kind);
        Assert.Null(generator.DisabledDate);
        Assert.Equal(2, generator.IssuedTokenCount);
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/token-generator", handler.Single.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task A_generator_answer_without_data_is_TokenGeneratorNotFound()
    {
        (KmsConnection connection, _) = FakeKms.Connect(NoData);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.GetTokenGeneratorAsync(Tag, CancellationToken.None));

        Assert.Equal("TokenGeneratorNotFound", exception.Reason);
        Assert.Equal(KmsErrorKind.NotFound, exception.Kind);
        Assert.Equal(Tag, exception.KeyTag);
    }

    [Fact]
    public async Task A_missing_generator_answered_with_404_is_KeyNotFound_with_the_service_message()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"NOT_FOUND","msg":"The key has no token generator"}""", HttpStatusCode.NotFound);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.GetTokenGeneratorAsync(Tag, CancellationToken.None));

        Assert.Equal("KeyNotFound", exception.Reason);
        Assert.Equal("The key has no token generator", exception.NcpMessage);
        Assert.Equal(404, exception.StatusCode);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains("no active token generator", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_call_that_needs_a_generator_says_a_404_may_mean_there_is_none()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"NOT_FOUND","msg":"Not found"}""", HttpStatusCode.NotFound);
        Func<Task>[] calls =
        {
            () => connection.ReplaceTokenGeneratorAsync(Tag, CancellationToken.None),
            () => connection.DeleteTokenGeneratorAsync(Tag, CancellationToken.None),
            () => connection.CreateTokenSetAsync(Tag, TokenLifetime.AccessTokenDefault, TokenLifetime.RefreshTokenDefault, CancellationToken.None),
        };

        foreach (Func<Task> call in calls)
        {
            var exception = await Assert.ThrowsAsync<KmsException>(call);
            Assert.Equal("KeyNotFound", exception.Reason);
            Assert.Contains("no active token generator", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Other_failures_of_those_calls_are_passed_on_unchanged()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"UNPROCESSABLE_ENTITY","msg":"Invalid status"}""", (HttpStatusCode)422);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.DeleteTokenGeneratorAsync(Tag, CancellationToken.None));

        Assert.Equal("InvalidKeyState", exception.Reason);
        Assert.DoesNotContain("no active token generator", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<TokenLifetime, TokenLifetime, string> TokenSetBodies => new()
    {
        { TokenLifetime.AccessTokenDefault, TokenLifetime.RefreshTokenDefault, "{}" },
        { TokenLifetime.FromHours(72), TokenLifetime.FromHours(2160), """{"accessTokenHours":72,"refreshTokenHours":2160}""" },
        { TokenLifetime.Unlimited, TokenLifetime.Unlimited, """{"accessTokenHours":"UL","refreshTokenHours":"UL"}""" },
        { TokenLifetime.FromHours(1), TokenLifetime.Unlimited, """{"accessTokenHours":1,"refreshTokenHours":"UL"}""" },
        { TokenLifetime.AccessTokenDefault, TokenLifetime.FromHours(17520), """{"refreshTokenHours":17520}""" },
    };

    [Theory]
    [MemberData(nameof(TokenSetBodies))]
    public async Task CreateTokenSetAsync_sends_only_the_lifetimes_asked_for(TokenLifetime access, TokenLifetime refresh, string expectedBody)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(TokenSetResponse);

        await connection.CreateTokenSetAsync(Tag, access, refresh, CancellationToken.None);

        Assert.Equal(HttpMethod.Post, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/token-set", handler.Single.RequestUri.PathAndQuery);
        Assert.Equal("application/json", handler.Single.ContentType);
        Assert.Equal(expectedBody, FakeKms.BodyOf(handler.Single));
    }

    [Fact]
    public async Task CreateTokenSetAsync_returns_both_tokens_as_read_only_SecureStrings()
    {
        (KmsConnection connection, _) = FakeKms.Connect(TokenSetResponse);

        TokenSet tokens = (await connection.CreateTokenSetAsync(Tag, TokenLifetime.FromHours(24), TokenLifetime.Unlimited, CancellationToken.None)).Value;

        Assert.Equal(Tag, tokens.KeyTag);
        Assert.Equal(AccessJwt, FakeKms.Plain(tokens.AccessToken));
        Assert.Equal(RefreshJwt, FakeKms.Plain(tokens.RefreshToken!));
        Assert.True(tokens.AccessToken.IsReadOnly());
        Assert.True(tokens.RefreshToken!.IsReadOnly());
        Assert.Equal(24, tokens.AccessTokenLifetime.Hours);
        Assert.True(tokens.RefreshTokenLifetime!.IsUnlimited);
    }

    [Fact]
    public async Task RenewTokenSetAsync_is_a_PUT_with_the_same_body_and_answer()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(TokenSetResponse);

        TokenSet tokens = (await connection.RenewTokenSetAsync(Tag, TokenLifetime.FromHours(8), TokenLifetime.RefreshTokenDefault, CancellationToken.None)).Value;

        Assert.Equal(HttpMethod.Put, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/token-set", handler.Single.RequestUri.PathAndQuery);
        Assert.Equal("""{"accessTokenHours":8}""", FakeKms.BodyOf(handler.Single));
        Assert.Equal(RefreshJwt, FakeKms.Plain(tokens.RefreshToken!));
        Assert.True(tokens.RefreshTokenLifetime!.IsDefault);
    }

    [Theory]
    [InlineData(false, "{}")]
    [InlineData(true, """{"accessTokenHours":"UL"}""")]
    public async Task CreateAccessTokenAsync_sends_only_the_access_lifetime_and_returns_no_refresh_token(bool unlimited, string expectedBody)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(AccessTokenResponse);

        TokenSet tokens = (await connection.CreateAccessTokenAsync(Tag, unlimited ? TokenLifetime.Unlimited : TokenLifetime.AccessTokenDefault, CancellationToken.None)).Value;

        Assert.Equal(HttpMethod.Post, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/access-token", handler.Single.RequestUri.PathAndQuery);
        Assert.Equal(expectedBody, FakeKms.BodyOf(handler.Single));
        Assert.Equal(AccessJwt, FakeKms.Plain(tokens.AccessToken));
        Assert.Null(tokens.RefreshToken);
        Assert.Null(tokens.RefreshTokenLifetime);
    }

    [Fact]
    public async Task A_token_set_answer_without_a_refresh_token_is_InvalidResponse_that_quotes_no_token()
    {
        (KmsConnection connection, _) = FakeKms.Connect(AccessTokenResponse);

        var exception = await Assert.ThrowsAsync<KmsException>(() =>
            connection.CreateTokenSetAsync(Tag, TokenLifetime.AccessTokenDefault, TokenLifetime.RefreshTokenDefault, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Contains("'refreshToken'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessJwt, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_token_in_the_answer_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"accessToken":""}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.CreateAccessTokenAsync(Tag, TokenLifetime.AccessTokenDefault, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
    }

    [Fact]
    public async Task A_non_JSON_answer_to_a_token_request_is_not_quoted()
    {
        (KmsConnection connection, _) = FakeKms.Connect("accessToken=" + AccessJwt);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.CreateAccessTokenAsync(Tag, TokenLifetime.AccessTokenDefault, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.DoesNotContain(AccessJwt, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_ToString_of_a_token_set_shows_a_token()
    {
        (KmsConnection connection, _) = FakeKms.Connect(TokenSetResponse);

        TokenSet tokens = (await connection.CreateTokenSetAsync(Tag, TokenLifetime.AccessTokenDefault, TokenLifetime.RefreshTokenDefault, CancellationToken.None)).Value;

        Assert.Equal($"Token set for key {Tag}", tokens.ToString());
        Assert.DoesNotContain("eyJ", tokens.AccessToken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Lifetimes_describe_themselves()
    {
        Assert.Equal("72 h (default)", TokenLifetime.AccessTokenDefault.ToString());
        Assert.Equal("2160 h (default)", TokenLifetime.RefreshTokenDefault.ToString());
        Assert.Equal("17520 h", TokenLifetime.FromHours(17520).ToString());
        Assert.Equal("Unlimited", TokenLifetime.Unlimited.ToString());
        Assert.Null(TokenLifetime.Unlimited.Hours);
        Assert.False(TokenLifetime.FromHours(5).IsDefault);
    }
}
