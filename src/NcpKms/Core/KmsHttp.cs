using System;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace NcpKms.Core;

/// <summary>The one HttpClient of the process: every connection to every endpoint shares its pool.</summary>
internal static class KmsHttp
{
    private static readonly Lazy<HttpClient> SharedClient = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static HttpClient Shared => SharedClient.Value;

    private static HttpClient Create()
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
        // Timeouts are per request (KmsConnection), so one slow call cannot be confused with cancellation.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
