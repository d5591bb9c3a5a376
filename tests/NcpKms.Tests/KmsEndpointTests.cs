using System;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsEndpointTests
{
    private static readonly Func<string, string?> NoEnvironment = FakeEnvironment.Of();

    [Theory]
    [InlineData(NcpSite.Public, NcpRegion.Global, "https://ocapi.ncloud.com")]
    [InlineData(NcpSite.Public, NcpRegion.KR, "https://ocapi-kr.ncloud.com")]
    [InlineData(NcpSite.Public, NcpRegion.JP, "https://ocapi-jp.ncloud.com")]
    [InlineData(NcpSite.Gov, NcpRegion.Global, "https://ocapi.gov-ncloud.com")]
    public void ForSite_returns_the_documented_host(NcpSite site, NcpRegion region, string expected)
    {
        KmsEndpoint endpoint = KmsEndpoint.ForSite(site, region);

        Assert.Equal(expected, endpoint.ToString());
        Assert.Equal(expected + "/kms/v1", endpoint.ApiRoot);
        Assert.Equal($"-Site {site} -Region {region}", endpoint.Source);
    }

    [Theory]
    [InlineData(NcpRegion.KR)]
    [InlineData(NcpRegion.JP)]
    public void The_gov_site_has_no_isolated_regions(NcpRegion region)
    {
        var exception = Assert.Throws<KmsException>(() => KmsEndpoint.ForSite(NcpSite.Gov, region));

        Assert.Equal("InvalidEndpoint", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains(region.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_prefers_an_explicit_endpoint_over_the_variable_and_the_site()
    {
        KmsEndpoint endpoint = KmsEndpoint.Resolve("https://explicit.example.com",
            FakeEnvironment.Of(("NCLOUD_KMS_ENDPOINT", "https://variable.example.com")), NcpSite.Gov, NcpRegion.Global);

        Assert.Equal("https://explicit.example.com", endpoint.ToString());
        Assert.Equal("-Endpoint", endpoint.Source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_uses_NCLOUD_KMS_ENDPOINT_when_no_endpoint_is_given(string? explicitEndpoint)
    {
        KmsEndpoint endpoint = KmsEndpoint.Resolve(explicitEndpoint,
            FakeEnvironment.Of(("NCLOUD_KMS_ENDPOINT", "https://variable.example.com:8443")), NcpSite.Public, NcpRegion.KR);

        Assert.Equal("https://variable.example.com:8443", endpoint.ToString());
        Assert.Equal("NCLOUD_KMS_ENDPOINT", endpoint.Source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Resolve_falls_back_to_the_site_table(string? variable)
    {
        KmsEndpoint endpoint = KmsEndpoint.Resolve(null, FakeEnvironment.Of(("NCLOUD_KMS_ENDPOINT", variable)), NcpSite.Public, NcpRegion.JP);

        Assert.Equal("https://ocapi-jp.ncloud.com", endpoint.ToString());
    }

    [Fact]
    public void Resolve_refuses_an_invalid_NCLOUD_KMS_ENDPOINT_and_names_the_variable()
    {
        var exception = Assert.Throws<KmsException>(() =>
            KmsEndpoint.Resolve(null, FakeEnvironment.Of(("NCLOUD_KMS_ENDPOINT", "http://ocapi.ncloud.com")), NcpSite.Public, NcpRegion.Global));

        Assert.Equal("InvalidEndpoint", exception.Reason);
        Assert.Contains("NCLOUD_KMS_ENDPOINT", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ocapi.ncloud.com", "https://ocapi.ncloud.com", "https://ocapi.ncloud.com/kms/v1")]
    [InlineData("https://ocapi.ncloud.com/", "https://ocapi.ncloud.com", "https://ocapi.ncloud.com/kms/v1")]
    [InlineData("  https://ocapi.ncloud.com  ", "https://ocapi.ncloud.com", "https://ocapi.ncloud.com/kms/v1")]
    [InlineData("https://kms.example.com:8443", "https://kms.example.com:8443", "https://kms.example.com:8443/kms/v1")]
    [InlineData("https://kms.example.com:8443/", "https://kms.example.com:8443", "https://kms.example.com:8443/kms/v1")]
    [InlineData("HTTPS://OCAPI.NCLOUD.COM", "https://ocapi.ncloud.com", "https://ocapi.ncloud.com/kms/v1")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080/kms/v1")]
    [InlineData("http://[::1]:8080/", "http://[::1]:8080", "http://[::1]:8080/kms/v1")]
    [InlineData("http://localhost:5000", "http://localhost:5000", "http://localhost:5000/kms/v1")]
    [InlineData("http://localhost", "http://localhost", "http://localhost/kms/v1")]
    public void Parse_accepts_https_hosts_and_http_loopback_hosts(string value, string expectedBase, string expectedApiRoot)
    {
        KmsEndpoint endpoint = KmsEndpoint.Parse(value, "-Endpoint");

        Assert.Equal(expectedBase, endpoint.ToString());
        Assert.Equal(expectedApiRoot, endpoint.ApiRoot);
        Assert.Equal("-Endpoint", endpoint.Source);
    }

    [Theory]
    [InlineData("https://ocapi.ncloud.com")]
    [InlineData("https://ocapi.ncloud.com/")]
    [InlineData("https://kms.example.com:8443/")]
    [InlineData("http://[::1]:8080/")]
    public void ApiRoot_ends_with_kms_v1_and_has_no_double_slash(string value)
    {
        string apiRoot = KmsEndpoint.Parse(value, "-Endpoint").ApiRoot;

        Assert.EndsWith("/kms/v1", apiRoot, StringComparison.Ordinal);
        Assert.DoesNotContain("//", apiRoot[(apiRoot.IndexOf("://", StringComparison.Ordinal) + 3)..], StringComparison.Ordinal);
        Assert.False(apiRoot.EndsWith('/'));
    }

    [Theory]
    [InlineData("http://ocapi.ncloud.com", "http:// is allowed only")]
    [InlineData("http://10.0.0.1:8080", "http:// is allowed only")]
    [InlineData("http://localhost.example.com", "http:// is allowed only")]
    [InlineData("https://ocapi.ncloud.com/kms/v1", "only scheme, host and port")]
    [InlineData("https://ocapi.ncloud.com/path", "only scheme, host and port")]
    [InlineData("https://ocapi.ncloud.com/?pageNo=1", "only scheme, host and port")]
    [InlineData("https://ocapi.ncloud.com?", "only scheme, host and port")]
    [InlineData("https://ocapi.ncloud.com/#fragment", "only scheme, host and port")]
    [InlineData("not a url", "absolute http:// or https:// URL")]
    [InlineData("ocapi.ncloud.com", "absolute http:// or https:// URL")]
    [InlineData("ftp://ocapi.ncloud.com", "absolute http:// or https:// URL")]
    [InlineData("/etc/passwd", "absolute http:// or https:// URL")]
    [InlineData("", "absolute http:// or https:// URL")]
    public void Parse_refuses_what_is_not_a_bare_https_or_loopback_endpoint(string value, string rule)
    {
        var exception = Assert.Throws<KmsException>(() => KmsEndpoint.Parse(value, "-Endpoint"));

        Assert.Equal("InvalidEndpoint", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains(rule, exception.Message, StringComparison.Ordinal);
        Assert.Contains("-Endpoint", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://admin:S3cretPassw0rd@ocapi.ncloud.com")]
    [InlineData("https://admin:S3cretPassw0rd@ocapi.ncloud.com/kms/v1")]
    [InlineData("http://admin:S3cretPassw0rd@127.0.0.1:8080")]
    [InlineData("http://admin:S3cretPassw0rd@ocapi.ncloud.com")]
    public void Parse_refuses_user_info_without_echoing_the_password(string value)
    {
        var exception = Assert.Throws<KmsException>(() => KmsEndpoint.Parse(value, "-Endpoint"));

        Assert.Equal("InvalidEndpoint", exception.Reason);
        Assert.Contains("user information", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretPassw0rd", exception.Message, StringComparison.Ordinal);
    }

    // A URL refused for another reason (scheme, unparsable port) must not echo the password either.
    [Theory]
    [InlineData("ftp://admin:S3cretPassw0rd@ocapi.ncloud.com")]
    [InlineData("htps://admin:S3cretPassw0rd@ocapi.ncloud.com")]
    [InlineData("https://admin:S3cretPassw0rd@ocapi.ncloud.com:99999")]
    public void Parse_never_echoes_a_user_info_password_whatever_the_refusal(string value)
    {
        var exception = Assert.Throws<KmsException>(() => KmsEndpoint.Parse(value, "-Endpoint"));

        Assert.Equal("InvalidEndpoint", exception.Reason);
        Assert.DoesNotContain("S3cretPassw0rd", exception.Message, StringComparison.Ordinal);
    }
}
