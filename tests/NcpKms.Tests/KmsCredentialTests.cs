using System;
using System.Text;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsCredentialTests
{
    [Theory]
    [InlineData("ACCESSKEYACCESSKEYAC", "****************EYAC")]
    [InlineData("ABCDEFGHI", "*****FGHI")]
    [InlineData("ABCDEFGH", "********")]
    [InlineData("ABCD", "****")]
    [InlineData("A", "*")]
    public void MaskedAccessKey_shows_at_most_the_last_four_characters(string accessKey, string expected)
    {
        var credential = new KmsCredential(accessKey, "secret-value", "unit test");

        Assert.Equal(expected, credential.MaskedAccessKey);
    }

    [Theory]
    [InlineData("ACCESSKEYACCESSKEYAC", Vectors.Secret)]
    [InlineData("AK12345678901234WXYZ", "s3cr3t-With-Ünïcødé")]
    [InlineData("SHORTAK", "x")]
    public void ToString_never_contains_the_secret_or_more_than_four_access_key_characters(string accessKey, string secret)
    {
        var credential = new KmsCredential(accessKey, secret, "unit test");

        string text = credential.ToString();

        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Contains(credential.MaskedAccessKey, text, StringComparison.Ordinal);
        Assert.Contains("unit test", text, StringComparison.Ordinal);
        for (int start = 0; start + 5 <= accessKey.Length; start++)
            Assert.DoesNotContain(accessKey.Substring(start, 5), text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, credential.MaskedAccessKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_equals_SignatureV2_Sign_with_the_secret_bytes()
    {
        var credential = new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test");

        string signature = credential.Sign("POST", Vectors.RotatePath, Vectors.Timestamp);

        Assert.Equal(SignatureV2.Sign(Vectors.SecretBytes, "POST", Vectors.RotatePath, Vectors.Timestamp, Vectors.AccessKey), signature);
        Assert.Equal(Vectors.RotateSignature, signature);
    }

    [Fact]
    public void Sign_uses_the_UTF8_bytes_of_a_non_ASCII_secret()
    {
        const string secret = "비밀키-clé-🔑";
        var credential = new KmsCredential(Vectors.AccessKey, secret, "unit test");

        Assert.Equal(
            SignatureV2.Sign(Encoding.UTF8.GetBytes(secret), "GET", Vectors.ListPath, Vectors.Timestamp, Vectors.AccessKey),
            credential.Sign("GET", Vectors.ListPath, Vectors.Timestamp));
    }

    [Fact]
    public void Surrounding_whitespace_of_both_keys_is_trimmed_before_signing()
    {
        var credential = new KmsCredential("  " + Vectors.AccessKey + "\t", " " + Vectors.Secret + "\r\n", "unit test");

        Assert.Equal(Vectors.AccessKey, credential.AccessKey);
        Assert.Equal(Vectors.RotateSignature, credential.Sign("POST", Vectors.RotatePath, Vectors.Timestamp));
    }

    [Fact]
    public void Source_is_kept_for_diagnostics()
    {
        var credential = new KmsCredential(Vectors.AccessKey, Vectors.Secret, "Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY");

        Assert.Equal("Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY", credential.Source);
    }

    [Theory]
    [InlineData("", "secret")]
    [InlineData("   ", "secret")]
    [InlineData("ACCESS", "")]
    [InlineData("ACCESS", " \t ")]
    public void Refuses_an_empty_access_key_or_secret(string accessKey, string secret)
    {
        Assert.Throws<ArgumentException>(() => new KmsCredential(accessKey, secret, "unit test"));
    }
}
