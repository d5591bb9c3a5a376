using System;
using System.Net.Http.Headers;

namespace NcpKms.Core;

/// <summary>How a request proves who sends it: account signature v2, or a KMS token.</summary>
public interface IKmsAuthentication
{
    /// <summary>For messages and the Debug stream; never holds a secret.</summary>
    string Description { get; }

    /// <summary>Adds the authentication headers for one request to the path and query that are sent.</summary>
    /// <param name="now">The time to sign with: the local clock, corrected for a known offset of the service's.</param>
    void Authenticate(HttpRequestHeaders headers, string method, string requestUri, DateTimeOffset now);
}
