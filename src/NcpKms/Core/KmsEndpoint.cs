using System;
using System.Net;
using System.Text.RegularExpressions;

namespace NcpKms.Core;

/// <summary>The KMS host a connection talks to: scheme, host and optional port. Requests go to BaseUri + /kms/v1.</summary>
public sealed partial class KmsEndpoint
{
    public const string EnvironmentVariable = "NCLOUD_KMS_ENDPOINT";
    public const string ApiPrefix = "/kms/v1";

    // Made once: the clock correction is looked up by it on every request.
    private readonly string _authority;

    private KmsEndpoint(Uri baseUri, string source)
    {
        BaseUri = baseUri;
        Source = source;
        _authority = baseUri.GetLeftPart(UriPartial.Authority);
        ApiRoot = _authority + ApiPrefix;
    }

    /// <summary>Scheme, host and port, e.g. https://ocapi.ncloud.com.</summary>
    public Uri BaseUri { get; }

    /// <summary>Where the endpoint came from, for diagnostics.</summary>
    public string Source { get; }

    /// <summary>BaseUri followed by /kms/v1, without a trailing slash.</summary>
    public string ApiRoot { get; }

    public override string ToString() => _authority;

    /// <summary>
    /// The resolution order: an explicit endpoint, else NCLOUD_KMS_ENDPOINT, else the site and region table.
    /// </summary>
    public static KmsEndpoint Resolve(string? explicitEndpoint, Func<string, string?> environment, NcpSite site, NcpRegion region)
    {
        if (!string.IsNullOrWhiteSpace(explicitEndpoint)) return Parse(explicitEndpoint, "-Endpoint");
        string? fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Parse(fromEnvironment, EnvironmentVariable);
        return ForSite(site, region);
    }

    /// <summary>The documented KMS API 2.0 hosts (ncp-kms-api.md §2).</summary>
    public static KmsEndpoint ForSite(NcpSite site, NcpRegion region)
    {
        string host = (site, region) switch
        {
            (NcpSite.Public, NcpRegion.Global) => "https://ocapi.ncloud.com",
            (NcpSite.Public, NcpRegion.KR) => "https://ocapi-kr.ncloud.com",
            (NcpSite.Public, NcpRegion.JP) => "https://ocapi-jp.ncloud.com",
            // The gov site's KMS 2.0 host is on gov-ncloud.com (not gov-ntruss.com) and has no isolated regions.
            (NcpSite.Gov, NcpRegion.Global) => "https://ocapi.gov-ncloud.com",
            _ => throw new KmsException("InvalidEndpoint", KmsErrorKind.InvalidArgument,
                $"The {site} site has no {region} KMS endpoint: use -Region Global, or give -Endpoint."),
        };
        return new KmsEndpoint(new Uri(host), $"-Site {site} -Region {region}");
    }

    /// <summary>Checks an endpoint given by a user: absolute http(s) URL, no path, query or user info, https unless loopback.</summary>
    public static KmsEndpoint Parse(string value, string source)
    {
        string text = value.Trim();
        string shown = WithoutUserInfo(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw Invalid(source, shown, "it must be an absolute http:// or https:// URL such as https://ocapi.ncloud.com");
        if (uri.UserInfo.Length > 0)
            throw Invalid(source, shown, "it must not carry user information");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw Invalid(source, shown, $"give only scheme, host and port; the module adds {ApiPrefix} itself");
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            throw Invalid(source, shown, "http:// is allowed only for a loopback host (127.0.0.1, ::1, localhost); use https://");
        return new KmsEndpoint(uri, source);
    }

    /// <summary>The text with any "user:password@" part masked, so a refused endpoint can be quoted safely.</summary>
    private static string WithoutUserInfo(string text) => UserInfo().Replace(text, "$1***@");

    [GeneratedRegex(@"^([^:/?#]*://)?[^/?#]*@")]
    private static partial Regex UserInfo();

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address));

    private static KmsException Invalid(string source, string value, string rule) =>
        new("InvalidEndpoint", KmsErrorKind.InvalidArgument, $"The endpoint '{value}' from {source} is not valid: {rule}.");
}
