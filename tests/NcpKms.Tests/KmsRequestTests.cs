using System;
using System.Net.Http;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsRequestTests
{
    [Theory]
    [InlineData("keyword", "a b", "keyword=a%20b")]
    [InlineData("keyword", "a&b=c", "keyword=a%26b%3Dc")]
    [InlineData("keyword", "a+b", "keyword=a%2Bb")]
    [InlineData("keyword", "a/b?c#d", "keyword=a%2Fb%3Fc%23d")]
    [InlineData("keyword", "é", "keyword=%C3%A9")]
    [InlineData("keyword", "키", "keyword=%ED%82%A4")]
    [InlineData("keyword", "-._~", "keyword=-._~")]
    [InlineData("keyword", "", "keyword=")]
    [InlineData("key word", "x", "key%20word=x")]
    public void Query_escapes_names_and_values_RFC_3986_style(string name, string value, string expected)
    {
        Assert.Equal(expected, KmsRequest.Query((name, value)));
    }

    [Fact]
    public void Query_joins_parameters_with_ampersands_in_order()
    {
        Assert.Equal("pageNo=1&pageSize=200&keyword=%ED%82%A4%20x", KmsRequest.Query(("pageNo", "1"), ("pageSize", "200"), ("keyword", "키 x")));
    }

    [Fact]
    public void Query_of_no_parameters_is_empty()
    {
        Assert.Equal(string.Empty, KmsRequest.Query());
    }

    [Theory]
    [InlineData("rotate", "/keys/abc123/rotate")]
    [InlineData("versions", "/keys/abc123/versions")]
    [InlineData("versions/2/enable", "/keys/abc123/versions/2/enable")]
    [InlineData("", "/keys/abc123")]
    public void ForKey_builds_keys_tag_action(string action, string expected)
    {
        KmsRequest request = KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc123", action);

        Assert.Equal(expected, request.PathAndQuery);
        Assert.Equal("abc123", request.KeyTag);
        Assert.Equal(HttpMethod.Post, request.Method);
    }

    [Fact]
    public void ForKey_without_an_action_has_no_trailing_slash()
    {
        Assert.Equal("/keys/kr-abc", KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", "kr-abc").PathAndQuery);
    }

    [Fact]
    public void ForKeys_adds_a_question_mark_only_with_a_query()
    {
        Assert.Equal("/keys", KmsRequest.ForKeys(HttpMethod.Get, "Get Key List").PathAndQuery);
        Assert.Equal("/keys", KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", string.Empty).PathAndQuery);
        Assert.Equal("/keys?pageNo=1&pageSize=1", KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", "pageNo=1&pageSize=1").PathAndQuery);
    }

    [Fact]
    public void ForKeys_is_about_no_key()
    {
        KmsRequest request = KmsRequest.ForKeys(HttpMethod.Post, "Create Key");

        Assert.Null(request.KeyTag);
        Assert.Equal("Create Key", request.Describe());
    }

    [Fact]
    public void Describe_names_the_operation_and_the_key()
    {
        Assert.Equal("Rotate Key for key 'abc123'", KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", "abc123", "rotate").Describe());
    }

    [Fact]
    public void A_request_has_no_body_and_is_not_sensitive_by_default()
    {
        KmsRequest request = KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", "abc");

        Assert.Null(request.Body);
        Assert.False(request.SensitiveResponse);
    }
}
