using System;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsCryptoLimitsTests
{
    private static KmsException Refused(Action check, string reason, string parameter)
    {
        var exception = Assert.Throws<KmsException>(check);
        Assert.Equal(reason, exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("-" + parameter, exception.Message, StringComparison.Ordinal);
        Assert.EndsWith("No request was sent.", exception.Message, StringComparison.Ordinal);
        return exception;
    }

    [Fact]
    public void Plaintext_of_32_KB_passes_and_one_byte_more_is_PlaintextTooLarge()
    {
        KmsCryptoLimits.CheckPlaintext([new byte[32768]]);

        KmsException exception = Refused(() => KmsCryptoLimits.CheckPlaintext([new byte[32769]]), "PlaintextTooLarge", "Plaintext");
        Assert.Contains("32769", exception.Message, StringComparison.Ordinal);
        Assert.Contains("32768", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_32_KB_limit_counts_all_items_of_a_list_together()
    {
        KmsCryptoLimits.CheckPlaintext([new byte[16384], new byte[16384]]);

        Refused(() => KmsCryptoLimits.CheckPlaintext([new byte[16384], new byte[16385]]), "PlaintextTooLarge", "Plaintext");
    }

    [Fact]
    public void Empty_plaintext_is_EmptyInput()
    {
        Refused(() => KmsCryptoLimits.CheckPlaintext([new byte[1], []]), "EmptyInput", "Plaintext");
    }

    [Theory]
    [InlineData("RSA2048")]
    [InlineData("rsa2048")]
    public void An_RSA2048_key_takes_190_bytes_per_item_and_refuses_191(string keyType)
    {
        KmsCryptoLimits.CheckPlaintextForKeyType([new byte[190], new byte[190]], keyType);

        KmsException exception = Refused(() => KmsCryptoLimits.CheckPlaintextForKeyType([new byte[191]], keyType), "PlaintextTooLarge", "Plaintext");
        Assert.Contains("RSA2048", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AES256")]
    [InlineData(null)]
    public void Other_or_unknown_key_types_have_no_190_byte_limit(string? keyType)
    {
        KmsCryptoLimits.CheckPlaintextForKeyType([new byte[32768]], keyType);
    }

    [Fact]
    public void Sign_data_of_8_KB_passes_and_one_byte_more_is_DataTooLarge()
    {
        KmsCryptoLimits.CheckSignData(new byte[8192]);

        Refused(() => KmsCryptoLimits.CheckSignData(new byte[8193]), "DataTooLarge", "Data");
        Refused(() => KmsCryptoLimits.CheckSignData([]), "EmptyInput", "Data");
    }

    [Fact]
    public void A_context_is_optional_and_1_to_50_bytes()
    {
        KmsCryptoLimits.CheckContext(null);
        KmsCryptoLimits.CheckContext(new byte[50]);

        Refused(() => KmsCryptoLimits.CheckContext(new byte[51]), "EncryptionContextTooLarge", "EncryptionContext");
        Refused(() => KmsCryptoLimits.CheckContext([]), "EmptyInput", "EncryptionContext");
    }

    [Theory]
    [InlineData("ECDSA", KmsKeyUse.Encryption)]
    [InlineData("ecdsa", KmsKeyUse.Encryption)]
    [InlineData("AES256", KmsKeyUse.Signing)]
    public void A_key_type_that_cannot_serve_the_use_is_UnsupportedKeyType(string keyType, KmsKeyUse use)
    {
        var exception = Assert.Throws<KmsException>(() => KmsCryptoLimits.CheckKeyType(keyType, use, "Protect-NcpKmsData"));

        Assert.Equal("UnsupportedKeyType", exception.Reason);
        Assert.Contains(keyType.ToUpperInvariant(), exception.Message, StringComparison.Ordinal);
        Assert.Contains("Protect-NcpKmsData", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AES256", KmsKeyUse.Encryption)]
    [InlineData("RSA2048", KmsKeyUse.Encryption)]
    [InlineData("RSA2048", KmsKeyUse.Signing)]
    [InlineData("ECDSA", KmsKeyUse.Signing)]
    [InlineData(null, KmsKeyUse.Encryption)]
    [InlineData(null, KmsKeyUse.Signing)]
    public void Key_types_that_serve_the_use_or_are_unknown_pass(string? keyType, KmsKeyUse use)
    {
        KmsCryptoLimits.CheckKeyType(keyType, use, "cmdlet");
    }

    [Theory]
    [InlineData("ncpkms:v1:gsYccPMkd/fAtqbKuj2ov4H+EdZC8Qb/b1GPIIN2Z61+yULo", "ncpkms:v1:gsYccPMkd/fAtqbKuj2ov4H+EdZC8Qb/b1GPIIN2Z61+yULo")]
    [InlineData("ncpkms:v100:AAAA\r\n", "ncpkms:v100:AAAA")]
    [InlineData("  ncpkms:v2:AA==", "ncpkms:v2:AA==")]
    public void A_ciphertext_in_the_KMS_form_passes_without_surrounding_whitespace(string given, string expected)
    {
        Assert.Equal(expected, KmsCryptoLimits.CheckCiphertext(given));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dGVzdA==")]
    [InlineData("ncpkms:v1:")]
    [InlineData("ncpkms:v:AAAA")]
    [InlineData("ncpkms:vx:AAAA")]
    [InlineData("NCPKMS:v1:AAAA")]
    [InlineData("ncpkms:v1:AA AA")]
    [InlineData("kms:v1:AAAA")]
    public void Anything_else_is_InvalidCiphertext(string? given)
    {
        Refused(() => KmsCryptoLimits.CheckCiphertext(given), "InvalidCiphertext", "Ciphertext");
    }

    [Theory]
    [InlineData("ncpkms:v1:AAAA", 1)]
    [InlineData("ncpkms:v42:AAAA", 42)]
    [InlineData("opaque", null)]
    [InlineData(null, null)]
    public void VersionOf_reads_the_prefix(string? value, int? expected)
    {
        Assert.Equal(expected, KmsCryptoLimits.VersionOf(value));
    }
}

public sealed class KeyTypeCacheTests
{
    [Fact]
    public void Remembers_types_per_endpoint_and_key_tag()
    {
        KmsEndpoint global = KmsEndpoint.Parse("https://ocapi.ncloud.com", "test");
        KmsEndpoint korea = KmsEndpoint.Parse("https://ocapi-kr.ncloud.com", "test");
        string tag = "cache-" + Guid.NewGuid().ToString("N");

        KeyTypeCache.Set(global, tag, "rsa2048");

        Assert.True(KeyTypeCache.TryGet(global, tag, out string? type));
        Assert.Equal("RSA2048", type);
        Assert.False(KeyTypeCache.TryGet(korea, tag, out _));
        Assert.False(KeyTypeCache.TryGet(global, tag + "x", out _));
    }
}
