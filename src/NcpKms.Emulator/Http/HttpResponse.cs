using System;
using System.Buffers;
using System.Collections.Generic;

namespace NcpKms.Emulator.Http;

/// <summary>What the handler wants done with the connection after (or instead of) the response.</summary>
internal enum ResponseDisposition
{
    /// <summary>Write the response; keep the connection open if the client allows it.</summary>
    Send,

    /// <summary>Write the response with <c>Connection: close</c>, then close.</summary>
    SendAndClose,

    /// <summary>Write nothing and drop the connection (fault injection: the client sees a broken exchange).</summary>
    Drop,
}

/// <summary>
/// The response a handler fills. Reused per connection, like <see cref="HttpRequest"/>, so the body buffer
/// keeps its capacity across requests instead of being allocated for each one.
/// </summary>
internal sealed class HttpResponse
{
    private readonly List<KeyValuePair<string, string>> _headers = new(4);

    public int StatusCode { get; set; } = 200;

    public ResponseDisposition Disposition { get; set; }

    /// <summary>The body bytes; the server adds Content-Length itself.</summary>
    public ArrayBufferWriter<byte> Body { get; } = new(4096);

    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>Adds a header. Names and values come from the emulator's own code, never from a client.</summary>
    public void AddHeader(string name, string value) => _headers.Add(new KeyValuePair<string, string>(name, value));

    internal void Reset()
    {
        StatusCode = 200;
        Disposition = ResponseDisposition.Send;
        _headers.Clear();
        Body.ResetWrittenCount();
    }
}
