using System;
using System.Net.Http;
using NcpKms.Core;

namespace NcpKms;

/// <summary>
/// A connection to KMS: which credentials and which endpoint. The secret key stays inside the connection;
/// nothing here renders it, so the object is safe to print, log or convert to JSON.
/// </summary>
public sealed class Context
{
    internal Context(KmsCredential credential, KmsEndpoint endpoint, KmsRetryPolicy retry, HttpMessageInvoker? http = null, Uri? proxy = null)
    {
        Credential = credential;
        Connection = new KmsConnection(credential, endpoint, http) { Retry = retry };
        Proxy = proxy?.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
    }

    /// <summary>The access key with all but the last four characters hidden.</summary>
    public string AccessKey => Credential.MaskedAccessKey;

    /// <summary>Scheme, host and port of the KMS API (the module adds /kms/v1).</summary>
    public string Endpoint => Connection.Endpoint.ToString();

    public string EndpointSource => Connection.Endpoint.Source;

    public string CredentialSource => Credential.Source;

    /// <summary>How many times a failed call is retried (throttling, dropped connections, 5xx on safe calls).</summary>
    public int MaxRetries => Connection.Retry.MaxRetries;

    /// <summary>How long one attempt may take, in seconds.</summary>
    public int TimeoutSec => (int)Connection.Retry.Timeout.TotalSeconds;

    /// <summary>The proxy given to Connect-NcpKms -Proxy (scheme, host and port only); null for the default proxy settings.</summary>
    public string? Proxy { get; }

    /// <summary>The ncloud configure profile the credentials came from, if they came from that file.</summary>
    public string? ProfileName => Credential.ProfileName;

    internal KmsCredential Credential { get; }

    internal KmsConnection Connection { get; }

    public override string ToString() => $"{AccessKey} @ {Endpoint}";
}
