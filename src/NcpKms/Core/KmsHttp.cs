using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace NcpKms.Core;

/// <summary>
/// The HTTP clients of the process: one shared pool for every connection that uses the default proxy
/// settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY on Linux and macOS; the system proxy on Windows), and
/// one per explicit proxy given to Connect-NcpKms -Proxy.
/// </summary>
public static class KmsHttp
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => Create(null), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, HttpClient> ProxyClients = new(StringComparer.Ordinal);

    internal static HttpClient Shared => SharedClient.Value;

    /// <summary>The client for a proxy, or the shared one when there is none.</summary>
    public static HttpMessageInvoker For(Uri? proxy, NetworkCredential? proxyCredential = null) =>
        proxy is null
            ? Shared
            : ProxyClients.GetOrAdd($"{proxy.AbsoluteUri}|{proxyCredential?.UserName}",
                _ => Create(new WebProxy(proxy) { Credentials = proxyCredential }));

    private static HttpClient Create(IWebProxy? proxy)
    {
        var handler = new SocketsHttpHandler
        {
            // Recycle pooled connections now and then so DNS changes of the NCP hosts are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // A redirect would replay a signed request against another URL: never follow one.
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        if (proxy is not null) handler.Proxy = proxy;

        // Timeouts are per request (KmsConnection), so one slow call cannot be confused with cancellation.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
