using System;
using System.Security.Cryptography;
using System.Text;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class SignatureV2Tests
{
    private const string WrongTrailingNewline = "GEVIOQUmfUtgxew+5/HRdmzMFzTaCBWCeTHomyWLdls=";
    private const string WrongMissingPrefix = "6LZHyDlWkGO5YwVtWehz5yKcBJ/kSWdWph5a+srWiFI=";
    private const string WrongMissingQuery = "7JXbIGRA5Iu1IAOLVoN7923+38obM/ktZ3b6e9yTvmc=";

    private static string Sign(string secret, string method, string requestUri, string timestamp, string accessKey) =>
        SignatureV2.Sign(Encoding.UTF8.GetBytes(secret), method, requestUri, timestamp, accessKey);

    /// <summary>HMAC-SHA256 computed directly over the documented string to sign, as the reference did.</summary>
    private static string Reference(string secret, string method, string requestUri, string timestamp, string accessKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(method + " " + requestUri + "\n" + timestamp + "\n" + accessKey)));

    [Theory]
    [InlineData("V1", "ncp-secret-example", "ACCESS_KEY_ID", "GET", "/photos/puppy.jpg?query1=&query2", "1700000000000", "iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE=")]
    [InlineData("V2", Vectors.Secret, Vectors.AccessKey, "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.RotateSignature)]
    [InlineData("V3", Vectors.Secret, Vectors.AccessKey, "GET", Vectors.ListPath, Vectors.Timestamp, Vectors.ListSignature)]
    public void Signs_the_known_answer_vectors_of_the_reference(string vector, string secret, string accessKey, string method, string requestUri, string timestamp, string expected)
    {
        string signature = Sign(secret, method, requestUri, timestamp, accessKey);

        Assert.True(expected == signature, $"{vector}: expected {expected}, got {signature}");
        Assert.Equal(44, signature.Length);
    }

    [Theory]
    [InlineData("ncp-secret-example", "ACCESS_KEY_ID", "GET", "/photos/puppy.jpg?query1=&query2", "1700000000000", "88f7b58457e397b04f1a1159246098e576601fa79633009695275290a53e48f1")]
    [InlineData(Vectors.Secret, Vectors.AccessKey, "POST", Vectors.RotatePath, Vectors.Timestamp, "ceab94fd0f4b065c39950c3997e7d9abe9aa7273f98bd9b5713a0a0d2b9accfb")]
    [InlineData(Vectors.Secret, Vectors.AccessKey, "GET", Vectors.ListPath, Vectors.Timestamp, "43ec66a7157b1d62c5f8bf6c6072a6d0e8fe80621b871616ab1ce106b1bbf922")]
    public void Produces_the_raw_digests_of_the_reference(string secret, string accessKey, string method, string requestUri, string timestamp, string expectedHex)
    {
        byte[] digest = Convert.FromBase64String(Sign(secret, method, requestUri, timestamp, accessKey));

        Assert.Equal(expectedHex, Convert.ToHexString(digest).ToLowerInvariant());
    }

    [Fact]
    public void Signs_the_rotate_vector_of_the_reference()
    {
        Assert.Equal(Vectors.RotateSignature, SignatureV2.Sign(Vectors.SecretBytes, "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey));
    }

    [Theory]
    [InlineData("trailing newline after the access key", "POST", Vectors.RotatePath, Vectors.AccessKey + "\n", WrongTrailingNewline)]
    [InlineData("/kms/v1 prefix left out", "POST", "/keys/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6/rotate", Vectors.AccessKey, WrongMissingPrefix)]
    [InlineData("query string left out", "GET", "/kms/v1/keys", Vectors.AccessKey, WrongMissingQuery)]
    public void Signs_each_common_mistake_input_to_the_documented_wrong_result(string mistake, string method, string requestUri, string accessKey, string documentedWrongResult)
    {
        string signature = SignatureV2.Sign(Vectors.SecretBytes, method, requestUri, Vectors.Timestamp, accessKey);

        Assert.True(documentedWrongResult == signature, $"{mistake}: expected {documentedWrongResult}, got {signature}");
    }

    [Theory]
    [InlineData("POST", Vectors.RotatePath)]
    [InlineData("GET", Vectors.ListPath)]
    public void A_correct_signature_never_equals_a_documented_wrong_result(string method, string requestUri)
    {
        string signature = SignatureV2.Sign(Vectors.SecretBytes, method, requestUri, Vectors.Timestamp, Vectors.AccessKey);

        Assert.DoesNotContain(signature, new[] { WrongTrailingNewline, WrongMissingPrefix, WrongMissingQuery });
    }

    [Theory]
    [InlineData("secret", Vectors.Secret + "X", "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey)]
    [InlineData("method case", Vectors.Secret, "post", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey)]
    [InlineData("path", Vectors.Secret, "POST", Vectors.RotatePath + "/", Vectors.Timestamp, Vectors.AccessKey)]
    [InlineData("timestamp", Vectors.Secret, "POST", Vectors.RotatePath, "1733462407907", Vectors.AccessKey)]
    [InlineData("access key", Vectors.Secret, "POST", Vectors.RotatePath, Vectors.Timestamp, "ACCESSKEYACCESSKEYAD")]
    public void Changing_any_signed_part_changes_the_signature(string part, string secret, string method, string requestUri, string timestamp, string accessKey)
    {
        string signature = Sign(secret, method, requestUri, timestamp, accessKey);

        Assert.True(signature != Vectors.RotateSignature, $"changing the {part} did not change the signature");
    }

    // The string to sign is GET + ' ' + uri + '\n' + 13-digit timestamp + '\n' + 20-char access key = uri + 39 characters,
    // so these lengths sit below, on and above the 512-character stack limit, and far above it (pooled buffers).
    [Theory]
    [InlineData(100)]
    [InlineData(472)]
    [InlineData(473)]
    [InlineData(474)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void Long_inputs_sign_the_same_as_HMACSHA256_directly(int uriLength)
    {
        string requestUri = "/kms/v1/keys?keyword=" + new string('k', uriLength - "/kms/v1/keys?keyword=".Length);

        string signature = SignatureV2.Sign(Vectors.SecretBytes, "GET", requestUri, Vectors.Timestamp, Vectors.AccessKey);

        Assert.Equal(Reference(Vectors.Secret, "GET", requestUri, Vectors.Timestamp, Vectors.AccessKey), signature);
    }

    [Theory]
    [InlineData(150)]  // 150 Hangul characters: under 512 characters, but 450+ UTF-8 bytes
    [InlineData(200)]  // under 512 characters, over 512 UTF-8 bytes: only the byte buffer is pooled
    [InlineData(600)]  // both buffers pooled
    public void Non_ASCII_request_uris_sign_the_same_as_HMACSHA256_directly(int hangulCount)
    {
        string requestUri = "/kms/v1/keys?keyword=" + new string('한', hangulCount);

        string signature = SignatureV2.Sign(Vectors.SecretBytes, "GET", requestUri, Vectors.Timestamp, Vectors.AccessKey);

        Assert.Equal(Reference(Vectors.Secret, "GET", requestUri, Vectors.Timestamp, Vectors.AccessKey), signature);
    }

    [Fact]
    public void A_short_input_after_a_long_one_is_not_polluted_by_the_pooled_buffers()
    {
        string longUri = "/kms/v1/keys?keyword=" + new string('z', 5000);
        SignatureV2.Sign(Vectors.SecretBytes, "GET", longUri, Vectors.Timestamp, Vectors.AccessKey);
        SignatureV2.Sign(Vectors.SecretBytes, "GET", "/kms/v1/keys?keyword=" + new string('한', 900), Vectors.Timestamp, Vectors.AccessKey);

        Assert.Equal(Vectors.ListSignature, SignatureV2.Sign(Vectors.SecretBytes, "GET", Vectors.ListPath, Vectors.Timestamp, Vectors.AccessKey));
        Assert.Equal(Reference(Vectors.Secret, "GET", longUri + "x", Vectors.Timestamp, Vectors.AccessKey),
            SignatureV2.Sign(Vectors.SecretBytes, "GET", longUri + "x", Vectors.Timestamp, Vectors.AccessKey));
    }

    [Theory]
    [InlineData("비밀키-secret")]
    [InlineData("clé-secrète-ñ")]
    [InlineData("🔑-emoji-secret")]
    public void A_non_ASCII_secret_is_used_as_its_UTF8_bytes(string secret)
    {
        string signature = Sign(secret, "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey);

        Assert.Equal(Reference(secret, "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey), signature);
        Assert.NotEqual(Vectors.RotateSignature, signature);
    }

    [Fact]
    public void A_secret_longer_than_the_HMAC_block_is_handled_like_HMACSHA256()
    {
        string secret = new('s', 200);

        Assert.Equal(Reference(secret, "GET", Vectors.ListPath, Vectors.Timestamp, Vectors.AccessKey),
            Sign(secret, "GET", Vectors.ListPath, Vectors.Timestamp, Vectors.AccessKey));
    }
}
