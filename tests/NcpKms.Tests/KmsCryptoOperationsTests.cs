using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsCryptoOperationsTests
{
    private const string Tag = "a1b2c3d4e5f6";
    private const string Ciphertext = "ncpkms:v1:gsYccPMkd/fAtqbKuj2ov4H+EdZC8Qb/b1GPIIN2Z61+yULo";
    private static readonly byte[] Test = Encoding.ASCII.GetBytes("test");
    private static readonly byte[] Test2 = Encoding.ASCII.GetBytes("test2");
    private static readonly byte[] ReferenceContext = Encoding.ASCII.GetBytes("this is a test context");

    /// <summary>A connection whose every call is answered with success and the given data.</summary>
    private static (KmsConnection Connection, FakeHandler Handler) Connect(string data) =>
        Answering(HttpStatusCode.OK, "{\"code\":\"SUCCESS\",\"data\":" + data + "}");

    private static (KmsConnection Connection, FakeHandler Handler) Answering(HttpStatusCode status, string body)
    {
        var handler = FakeHandler.Answering(status, body);
        var connection = new KmsConnection(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"),
            KmsEndpoint.Parse("https://ocapi.ncloud.com", "test"), new HttpMessageInvoker(handler));
        return (connection, handler);
    }

    private static string BodyOf(FakeHandler handler) => Encoding.UTF8.GetString(handler.Single.Body!);

    private static string? FieldOf(FakeHandler handler, string name) =>
        JsonDocument.Parse(handler.Single.Body).RootElement.GetProperty(name).GetString();

    private static void AssertPost(FakeHandler handler, string action)
    {
        Assert.Equal(HttpMethod.Post, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/{action}", handler.Single.RequestUri.PathAndQuery);
        Assert.Equal("application/json", handler.Single.ContentType);
    }

    [Fact]
    public async Task Encrypt_sends_the_reference_request_for_one_value_and_reads_its_answer()
    {
        // ncp-kms-api.md §8.4.1, first example, verbatim.
        (KmsConnection connection, FakeHandler handler) = Connect($"{{\"ciphertext\":\"{Ciphertext}\"}}");

        KmsResult<IReadOnlyList<EncryptedData>> result = await connection.EncryptAsync(Tag, [Test], ReferenceContext, CancellationToken.None);

        AssertPost(handler, "encrypt");
        Assert.Equal("{\"plaintext\":\"dGVzdA==\",\"context\":\"dGhpcyBpcyBhIHRlc3QgY29udGV4dA==\"}", BodyOf(handler));
        EncryptedData encrypted = Assert.Single(result.Value);
        Assert.Equal(Tag, encrypted.KeyTag);
        Assert.Equal(1, encrypted.KeyVersion);
        Assert.Equal(Ciphertext, encrypted.Ciphertext);
        Assert.Equal(Ciphertext, encrypted.ToString());
    }

    [Fact]
    public async Task Encrypt_sends_a_list_as_an_array_without_context_and_reads_the_array_answer()
    {
        // ncp-kms-api.md §8.4.1, second example.
        (KmsConnection connection, FakeHandler handler) = Connect("{\"ciphertext\":[\"ncpkms:v2:AAAA\",\"ncpkms:v2:BBBB\"]}");

        KmsResult<IReadOnlyList<EncryptedData>> result = await connection.EncryptAsync(Tag, [Test, Test2], null, CancellationToken.None);

        Assert.Equal("{\"plaintext\":[\"dGVzdA==\",\"dGVzdDI=\"]}", BodyOf(handler));
        Assert.Equal(["ncpkms:v2:AAAA", "ncpkms:v2:BBBB"], [result.Value[0].Ciphertext, result.Value[1].Ciphertext]);
        Assert.All(result.Value, item => Assert.Equal(2, item.KeyVersion));
    }

    [Fact]
    public async Task Encrypt_accepts_the_API_1_list_spelling_ciphertextList()
    {
        (KmsConnection connection, _) = Connect("{\"ciphertextList\":[\"ncpkms:v1:AAAA\",\"ncpkms:v1:BBBB\"]}");

        KmsResult<IReadOnlyList<EncryptedData>> result = await connection.EncryptAsync(Tag, [Test, Test2], null, CancellationToken.None);

        Assert.Equal(2, result.Value.Count);
    }

    [Theory]
    [InlineData("{\"ciphertext\":[\"ncpkms:v1:AAAA\"]}")]
    [InlineData("{\"ciphertext\":[\"ncpkms:v1:AAAA\",\"ncpkms:v1:BBBB\",\"ncpkms:v1:CCCC\"]}")]
    [InlineData("{\"ciphertext\":[1,2]}")]
    [InlineData("{\"other\":\"ncpkms:v1:AAAA\"}")]
    public async Task Encrypt_answers_that_do_not_match_what_was_sent_are_InvalidResponse(string data)
    {
        (KmsConnection connection, _) = Connect(data);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.EncryptAsync(Tag, [Test, Test2], null, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.Equal(Tag, exception.KeyTag);
    }

    [Fact]
    public async Task A_ciphertext_without_a_version_prefix_has_no_KeyVersion()
    {
        (KmsConnection connection, _) = Connect("{\"ciphertext\":\"opaque\"}");

        KmsResult<IReadOnlyList<EncryptedData>> result = await connection.EncryptAsync(Tag, [Test], null, CancellationToken.None);

        Assert.Null(result.Value[0].KeyVersion);
    }

    [Fact]
    public async Task Decrypt_sends_the_ciphertext_and_returns_the_plaintext_bytes()
    {
        // ncp-kms-api.md §8.4.2 example answer.
        (KmsConnection connection, FakeHandler handler) = Connect("{\"plaintext\":\"dGVzdA==\"}");

        KmsResult<IReadOnlyList<byte[]>> result = await connection.DecryptAsync(Tag, [Ciphertext], ReferenceContext, CancellationToken.None);

        AssertPost(handler, "decrypt");
        // Compared as JSON: the writer may escape '+' as \u002B, which is the same string.
        Assert.Equal(Ciphertext, FieldOf(handler, "ciphertext"));
        Assert.Equal("dGhpcyBpcyBhIHRlc3QgY29udGV4dA==", FieldOf(handler, "context"));
        Assert.Equal(Test, Assert.Single(result.Value));
    }

    [Fact]
    public async Task Decrypt_answers_never_reach_an_error_message()
    {
        // Not Base64: the answer is refused, and since it may be plaintext, not one character of it is quoted.
        (KmsConnection connection, _) = Connect("{\"plaintext\":\"top-secret-value!\"}");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.DecryptAsync(Tag, [Ciphertext], null, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.DoesNotContain("top-secret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReEncrypt_posts_to_re_encrypt_and_reads_newCiphertext()
    {
        // ncp-kms-api.md §8.4.3 example answer.
        (KmsConnection connection, FakeHandler handler) = Connect("{\"newCiphertext\":\"ncpkms:v4:XYZ\"}");

        KmsResult<IReadOnlyList<EncryptedData>> result = await connection.ReEncryptAsync(Tag, [Ciphertext], null, CancellationToken.None);

        AssertPost(handler, "re-encrypt");
        Assert.Equal(Ciphertext, FieldOf(handler, "ciphertext"));
        Assert.Single(JsonDocument.Parse(handler.Single.Body).RootElement.EnumerateObject());
        Assert.Equal(4, result.Value[0].KeyVersion);
        Assert.Equal("ncpkms:v4:XYZ", result.Value[0].Ciphertext);
    }

    [Fact]
    public async Task CreateDataKey_sends_the_reference_request_and_reads_key_version_and_plaintext()
    {
        // ncp-kms-api.md §8.4.4: request verbatim, illustrative answer with snake_case key_version.
        (KmsConnection connection, FakeHandler handler) = Connect("{\"ciphertext\":\"ncpkms:v1:WRAP\",\"key_version\":1,\"plaintext\":\"AAECAw==\"}");

        KmsResult<GeneratedDataKey> result = await connection.CreateDataKeyAsync(Tag, 256, requestPlainKey: true, null, CancellationToken.None);

        AssertPost(handler, "create-custom-key");
        Assert.Equal("{\"requestPlainKey\":true,\"bits\":256}", BodyOf(handler));
        Assert.Equal("ncpkms:v1:WRAP", result.Value.Ciphertext);
        Assert.Equal(1, result.Value.KeyVersion);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, result.Value.Plaintext);
    }

    [Theory]
    [InlineData("{\"ciphertext\":\"ncpkms:v7:WRAP\",\"keyVersion\":7,\"plaintext\":[\"AAECAw==\"]}")]
    [InlineData("{\"ciphertext\":\"ncpkms:v7:WRAP\",\"plaintext\":\"AAECAw==\"}")]
    [InlineData("{\"ciphertext\":\"ncpkms:v7:WRAP\",\"key_version\":\"7\",\"plaintext\":\"AAECAw==\"}")]
    public async Task CreateDataKey_tolerates_camelCase_a_missing_version_and_a_plaintext_array(string data)
    {
        (KmsConnection connection, _) = Connect(data);

        KmsResult<GeneratedDataKey> result = await connection.CreateDataKeyAsync(Tag, 128, requestPlainKey: true, null, CancellationToken.None);

        Assert.Equal(7, result.Value.KeyVersion);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, result.Value.Plaintext);
    }

    [Fact]
    public async Task CreateDataKey_without_plaintext_asks_for_none_and_ignores_any_in_the_answer()
    {
        (KmsConnection connection, FakeHandler handler) = Connect("{\"ciphertext\":\"ncpkms:v1:WRAP\",\"key_version\":1,\"plaintext\":\"AAECAw==\"}");

        KmsResult<GeneratedDataKey> result = await connection.CreateDataKeyAsync(Tag, 512, requestPlainKey: false, ReferenceContext, CancellationToken.None);

        Assert.Equal("{\"requestPlainKey\":false,\"bits\":512,\"context\":\"dGhpcyBpcyBhIHRlc3QgY29udGV4dA==\"}", BodyOf(handler));
        Assert.Null(result.Value.Plaintext);
    }

    [Fact]
    public async Task CreateDataKey_errors_do_not_quote_the_answer()
    {
        (KmsConnection connection, _) = Connect("{\"plaintext\":\"AAECAw==\"}");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.CreateDataKeyAsync(Tag, 256, true, null, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
        Assert.DoesNotContain("AAECAw", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_sends_Base64_data_and_reads_the_signature_with_its_version()
    {
        (KmsConnection connection, FakeHandler handler) = Connect("{\"signature\":\"ncpkms:v3:c2ln\"}");

        KmsResult<DataSignature> result = await connection.SignAsync(Tag, Test, CancellationToken.None);

        AssertPost(handler, "sign");
        Assert.Equal("{\"data\":\"dGVzdA==\"}", BodyOf(handler));
        Assert.Equal(Tag, result.Value.KeyTag);
        Assert.Equal("ncpkms:v3:c2ln", result.Value.Signature);
        Assert.Equal(3, result.Value.KeyVersion);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"True\"", true)]
    public async Task Verify_reads_valid_as_a_Boolean_or_a_string(string valid, bool expected)
    {
        (KmsConnection connection, FakeHandler handler) = Connect($"{{\"valid\":{valid}}}");

        KmsResult<bool> result = await connection.VerifyAsync(Tag, Test, "ncpkms:v1:c2ln", CancellationToken.None);

        AssertPost(handler, "verify");
        Assert.Equal("{\"data\":\"dGVzdA==\",\"signature\":\"ncpkms:v1:c2ln\"}", BodyOf(handler));
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"valid\":\"maybe\"}")]
    public async Task Verify_without_a_readable_valid_is_InvalidResponse(string data)
    {
        (KmsConnection connection, _) = Connect(data);

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.VerifyAsync(Tag, Test, "s", CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
    }

    [Theory]
    [InlineData(null, "{}")]
    [InlineData(2, "{\"keyVersion\":2}")]
    public async Task GetPublicKey_posts_the_optional_version_and_returns_the_PEM(int? version, string body)
    {
        const string Pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
        (KmsConnection connection, FakeHandler handler) = Connect("{\"publicKey\":\"-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----\\n\"}");

        KmsResult<PublicKeyInfo> result = await connection.GetPublicKeyAsync(Tag, version, CancellationToken.None);

        AssertPost(handler, "get-pub-key");
        Assert.Equal(body, BodyOf(handler));
        Assert.Equal(Pem, result.Value.PublicKey);
        Assert.Equal(version, result.Value.Version);
        Assert.Equal(Tag, result.Value.KeyTag);
    }

    [Fact]
    public async Task With_a_token_a_crypto_call_is_sent_with_the_token_and_unsigned()
    {
        var handler = FakeHandler.Answering(HttpStatusCode.OK, "{\"code\":\"SUCCESS\",\"data\":{\"ciphertext\":\"ncpkms:v1:AAAA\"}}");
        var connection = new KmsConnection(new KmsToken("access-token-value", KmsTokenKind.Access, "-Token"),
            KmsEndpoint.Parse("https://ocapi.ncloud.com", "test"), new HttpMessageInvoker(handler));

        await connection.EncryptAsync(Tag, [Test], null, CancellationToken.None);

        Assert.Equal("access-token-value", handler.Single.Headers[KmsToken.Header]);
        Assert.False(handler.Single.Headers.ContainsKey("x-ncp-apigw-signature-v2"));
    }

    [Fact]
    public async Task A_service_refusal_keeps_the_key_tag_and_the_NCP_code()
    {
        (KmsConnection connection, _) = Answering(HttpStatusCode.UnprocessableEntity, "{\"code\":\"UNPROCESSABLE_ENTITY\",\"msg\":\"Invalid status\"}");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.SignAsync(Tag, Test, CancellationToken.None));

        Assert.Equal("InvalidKeyState", exception.Reason);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Equal("UNPROCESSABLE_ENTITY", exception.NcpCode);
    }
}
