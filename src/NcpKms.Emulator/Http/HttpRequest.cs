using System;
using System.Collections.Generic;
using System.Net;

namespace NcpKms.Emulator.Http;

/// <summary>
/// One request as read from the wire. A connection reuses a single instance for every request it reads
/// (requests on one connection are sequential), so a handler must not keep a reference after it returns.
/// </summary>
internal sealed class HttpRequest
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    public string Method { get; private set; } = string.Empty;

    /// <summary>Path and query exactly as received (origin form); this is what a client signs.</summary>
    public string Target { get; private set; } = string.Empty;

    /// <summary>The raw (still percent-encoded) path part of <see cref="Target"/>.</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>The raw query after '?', or an empty string.</summary>
    public string Query { get; private set; } = string.Empty;

    public bool IsHttp11 { get; private set; }

    public bool KeepAlive { get; private set; }

    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>The client address; kept for the per-key IP ACL of token requests (reference §8.6).</summary>
    public IPEndPoint? RemoteEndPoint { get; internal set; }

    /// <summary>Set when the bytes could not be read as a request; the handler still answers it, then the connection closes.</summary>
    public HttpProtocolError? ProtocolError { get; private set; }

    public string? GetHeader(string name) => _headers.TryGetValue(name, out string? value) ? value : null;

    internal void Reset()
    {
        Method = string.Empty;
        Target = string.Empty;
        Path = string.Empty;
        Query = string.Empty;
        IsHttp11 = false;
        KeepAlive = false;
        Body = ReadOnlyMemory<byte>.Empty;
        ProtocolError = null;
        _headers.Clear();
    }

    internal void SetRequestLine(string method, string target, bool isHttp11)
    {
        Method = method;
        Target = target;
        IsHttp11 = isHttp11;
        int query = target.IndexOf('?');
        Path = query < 0 ? target : target[..query];
        Query = query < 0 ? string.Empty : target[(query + 1)..];
    }

    internal void AddHeader(string name, string value)
    {
        // Repeated fields combine into one comma-separated value (RFC 9110 §5.3), so a duplicated
        // signature header can never be mistaken for a single valid one.
        _headers[name] = _headers.TryGetValue(name, out string? existing) ? existing + ", " + value : value;
    }

    internal void SetKeepAlive(bool keepAlive) => KeepAlive = keepAlive;

    internal void SetBody(ReadOnlyMemory<byte> body) => Body = body;

    internal void Fail(int statusCode, string detail)
    {
        ProtocolError = new HttpProtocolError(statusCode, detail);
        KeepAlive = false;
    }
}

/// <summary>Why a request could not be read: the status to answer with and a reason for the log.</summary>
internal sealed record HttpProtocolError(int StatusCode, string Detail);
