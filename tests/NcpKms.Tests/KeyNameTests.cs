using System;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KeyNameTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("app-key")]
    [InlineData("App_Key_2025-01")]
    [InlineData("a12")]
    [InlineData("Z--")]
    public void Accepts_3_to_15_letters_digits_dashes_and_underscores_starting_with_a_letter(string name)
    {
        Assert.True(KeyName.IsValid(name));
        KeyName.Validate(name, "Name");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("1app")]
    [InlineData("-app")]
    [InlineData("_app")]
    [InlineData("app key")]
    [InlineData("app.key")]
    [InlineData("앱키이름")]
    [InlineData("appé")]
    [InlineData("app\n")]
    [InlineData("app/x")]
    public void Refuses_anything_else(string? name)
    {
        Assert.False(KeyName.IsValid(name));
    }

    [Fact]
    public void Exactly_15_characters_pass_and_16_fail()
    {
        Assert.True(KeyName.IsValid("a" + new string('b', 14)));
        Assert.False(KeyName.IsValid("a" + new string('b', 15)));
    }

    [Fact]
    public void Validate_names_the_parameter_and_the_rule()
    {
        var exception = Assert.Throws<KmsException>(() => KeyName.Validate("1bad", "Name"));

        Assert.Equal("InvalidKeyName", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("'1bad'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-Name", exception.Message, StringComparison.Ordinal);
        Assert.Contains(KeyName.Rule, exception.Message, StringComparison.Ordinal);
        Assert.Contains("No request was sent", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_shortens_a_very_long_name()
    {
        var exception = Assert.Throws<KmsException>(() => KeyName.Validate(new string('a', 500), "Name"));

        Assert.Contains("(500 characters)", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 41), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_calls_an_empty_name_empty()
    {
        var exception = Assert.Throws<KmsException>(() => KeyName.Validate("", "Name"));

        Assert.StartsWith("An empty key name given to -Name", exception.Message, StringComparison.Ordinal);
    }
}
