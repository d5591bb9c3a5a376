using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class AclOperationsTests
{
    private const string Tag = "a1b2c3d4e5f6";

    // ncp-kms-api.md §8.6.1, with a real address for the masked "xxx.xxx.xxx.xxx" and the masked key tag kept.
    private const string AclResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","isAclEnabled":true,"allowedIpList":["203.0.113.10"]}}""";
    private const string ListResponse = """{"code":"SUCCESS","data":{"keyTag":"a1b2...z6","allowedIpList":[]}}""";

    [Fact]
    public async Task GetAclAsync_parses_the_reference_response_and_keeps_the_key_tag_asked_about()
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(AclResponse);

        KeyAcl acl = (await connection.GetAclAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal(Tag, acl.KeyTag);
        Assert.True(acl.IsAclEnabled);
        Assert.Equal(new[] { "203.0.113.10" }, acl.AllowedIpList);
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/acl", handler.Single.RequestUri.PathAndQuery);
    }

    [Theory]
    [InlineData("""{"code":"SUCCESS","data":{"isAclEnabled":false,"allowedIpList":[]}}""", false)]
    [InlineData("""{"code":"SUCCESS","data":{"isAclEnabled":"false"}}""", false)]
    [InlineData("""{"code":"SUCCESS","data":{"IsAclEnabled":true,"AllowedIpList":null}}""", true)]
    public async Task GetAclAsync_reads_an_empty_or_absent_list_as_empty(string body, bool enabled)
    {
        (KmsConnection connection, _) = FakeKms.Connect(body);

        KeyAcl acl = (await connection.GetAclAsync(Tag, CancellationToken.None)).Value;

        Assert.Equal(enabled, acl.IsAclEnabled);
        Assert.Empty(acl.AllowedIpList);
    }

    [Fact]
    public async Task A_list_of_non_strings_is_InvalidResponse()
    {
        (KmsConnection connection, _) = FakeKms.Connect("""{"code":"SUCCESS","data":{"isAclEnabled":true,"allowedIpList":[1]}}""");

        var exception = await Assert.ThrowsAsync<KmsException>(() => connection.GetAclAsync(Tag, CancellationToken.None));

        Assert.Equal("InvalidResponse", exception.Reason);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Adding_and_removing_send_the_ipList_body_even_on_DELETE(string method)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect(ListResponse);
        string[] addresses = { "203.0.113.10", "198.51.100.7" };

        KmsResult<bool> result = method == "POST"
            ? await connection.AddAclRulesAsync(Tag, addresses, CancellationToken.None)
            : await connection.RemoveAclRulesAsync(Tag, addresses, CancellationToken.None);

        Assert.True(result.Value);
        Assert.Equal(method, handler.Single.Method.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}/acl", handler.Single.RequestUri.PathAndQuery);
        Assert.Equal("application/json", handler.Single.ContentType);
        Assert.Equal("""{"ipList":["203.0.113.10","198.51.100.7"]}""", FakeKms.BodyOf(handler.Single));
    }

    [Theory]
    [InlineData(true, "/acl/enable")]
    [InlineData(false, "/acl/disable")]
    public async Task Enabling_and_disabling_are_body_less_POSTs(bool enable, string action)
    {
        (KmsConnection connection, FakeHandler handler) = FakeKms.Connect($$$"""{"code":"SUCCESS","data":{"keyTag":"{{{Tag}}}","isAclEnabled":{{{(enable ? "true" : "false")}}}}}""");

        _ = enable ? await connection.EnableAclAsync(Tag, CancellationToken.None) : await connection.DisableAclAsync(Tag, CancellationToken.None);

        Assert.Equal(HttpMethod.Post, handler.Single.Method);
        Assert.Equal($"/kms/v1/keys/{Tag}{action}", handler.Single.RequestUri.PathAndQuery);
        Assert.Null(handler.Single.Body);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("203.0.113.10")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.100.200")]
    public void Dotted_quad_IPv4_addresses_are_valid(string address) => Assert.True(IpAddressList.IsValid(address));

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1.5")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1/32")]
    [InlineData("10.0.0.0/24")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.01")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.1")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("10.0.0.-1")]
    [InlineData("10.0.0.+1")]
    [InlineData("10..0.1")]
    [InlineData("1000.0.0.1")]
    [InlineData("١٠.0.0.1")]
    [InlineData("example.com")]
    [InlineData(" 10.0.0.1")]
    public void Anything_else_is_not(string address) => Assert.False(IpAddressList.IsValid(address));

    [Fact]
    public void Validate_trims_white_space_and_drops_duplicates_in_order()
    {
        IReadOnlyList<string> valid = IpAddressList.Validate(new[] { " 10.0.0.2\r", "10.0.0.1", "10.0.0.2" }, "IpAddress", Tag);

        Assert.Equal(new[] { "10.0.0.2", "10.0.0.1" }, valid);
    }

    [Theory]
    [InlineData("10.0.0.0/24")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_names_the_bad_address_the_parameter_and_the_key(string? bad)
    {
        var exception = Assert.Throws<KmsException>(() => IpAddressList.Validate(new[] { "10.0.0.1", bad }, "IpAddress", Tag));

        Assert.Equal("InvalidIpAddress", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Equal(Tag, exception.KeyTag);
        Assert.Contains($"'{bad}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-IpAddress", exception.Message, StringComparison.Ordinal);
        Assert.Contains("No request was sent", exception.Message, StringComparison.Ordinal);
    }
}
