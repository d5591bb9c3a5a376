using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsTokenTests
{
    private const string TokenValue = "eyJhbGciOiJIUzI1NiJ9.eyJrZXlUYWciOiJhYmMifQ.c2lnbmF0dXJl";
    private const string Ok = "{\"code\":\"SUCCESS\",\"data\":{\"ok\":true}}";

    [Fact]
    public async Task A_token_request_carries_x_ncp_ocapi_token_and_no_signature_headers()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, Ok);
        var connection = new KmsConnection(new KmsToken(TokenValue, KmsTokenKind.Access, "-Token"),
            KmsEndpoint.Parse("https://kms.example.test", "test"), new HttpMessageInvoker(handler));

        await connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Encrypt", "abc", "encrypt"), data => data.GetRawText(), default);

        CapturedRequest sent = handler.Single;
        Assert.Equal(TokenValue, sent.Headers[KmsToken.Header]);
        Assert.False(sent.Headers.ContainsKey("x-ncp-apigw-signature-v2"));
        Assert.False(sent.Headers.ContainsKey("x-ncp-apigw-timestamp"));
        Assert.False(sent.Headers.ContainsKey("x-ncp-iam-access-key"));
    }

    [Fact]
    public void Neither_the_description_nor_ToString_shows_the_token()
    {
        var token = new KmsToken("  " + TokenValue + "\n", KmsTokenKind.Refresh, "NCLOUD_KMS_TOKEN");

        Assert.Equal("refresh token (NCLOUD_KMS_TOKEN)", token.Description);
        Assert.DoesNotContain(TokenValue, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", token.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_token_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new KmsToken("   ", KmsTokenKind.Access, "-Token"));
    }
}
