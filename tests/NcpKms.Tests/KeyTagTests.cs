using System;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KeyTagTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6")]
    [InlineData("kr-a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6a1b2c3d4e5f6")]
    [InlineData("jpn-a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6a1b2c3d4e5f6")]
    [InlineData("UPPER_lower-0123456789")]
    public void Accepts_letters_digits_dashes_and_underscores(string keyTag)
    {
        Assert.True(KeyTag.IsValid(keyTag));
    }

    [Fact]
    public void Accepts_exactly_128_characters()
    {
        Assert.True(KeyTag.IsValid(new string('a', 128)));
    }

    [Fact]
    public void Refuses_129_characters()
    {
        Assert.False(KeyTag.IsValid(new string('a', 129)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("abc def")]
    [InlineData(" abc")]
    [InlineData("abc/rotate")]
    [InlineData("abc?pageNo=1")]
    [InlineData("abc%2Frotate")]
    [InlineData("..")]
    [InlineData("abc..def")]
    [InlineData("a.b")]
    [InlineData("키태그")]
    [InlineData("abcé")]
    [InlineData("ａｂｃ")]
    [InlineData("abc\n")]
    [InlineData("abc#x")]
    [InlineData("abc\\def")]
    public void Refuses_anything_else(string? keyTag)
    {
        Assert.False(KeyTag.IsValid(keyTag));
    }

    [Fact]
    public void Validate_accepts_a_valid_tag_without_throwing()
    {
        Exception? thrown = Record.Exception(() => KeyTag.Validate("kr-abc123", "KeyTag"));

        Assert.Null(thrown);
    }

    [Theory]
    [InlineData("", "An empty key tag")]
    [InlineData("abc/def", "'abc/def'")]
    [InlineData("..", "'..'")]
    public void Validate_throws_InvalidKeyTag_naming_the_parameter(string keyTag, string shown)
    {
        var exception = Assert.Throws<KmsException>(() => KeyTag.Validate(keyTag, "KeyTag"));

        Assert.Equal("InvalidKeyTag", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("-KeyTag", exception.Message, StringComparison.Ordinal);
        Assert.Contains(shown, exception.Message, StringComparison.Ordinal);
        Assert.Contains(KeyTag.Rule, exception.Message, StringComparison.Ordinal);
        Assert.Equal(keyTag, exception.KeyTag);
    }

    [Fact]
    public void Validate_of_null_names_the_parameter()
    {
        var exception = Assert.Throws<KmsException>(() => KeyTag.Validate(null, "InputObject"));

        Assert.Equal("InvalidKeyTag", exception.Reason);
        Assert.Contains("-InputObject", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_shortens_a_very_long_tag_in_the_message()
    {
        string keyTag = new string('a', 100) + new string('Z', 100);

        var exception = Assert.Throws<KmsException>(() => KeyTag.Validate(keyTag, "KeyTag"));

        Assert.DoesNotContain(keyTag, exception.Message, StringComparison.Ordinal);
        Assert.Contains("(200 characters)", exception.Message, StringComparison.Ordinal);
    }
}
