using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Emulator.Http;

/// <summary>What one read attempt produced.</summary>
internal enum ReadOutcome
{
    /// <summary>A complete request, body included.</summary>
    Request,

    /// <summary>Bytes that are not a valid request; <see cref="HttpRequest.ProtocolError"/> says why. Answer, then close.</summary>
    ProtocolError,

    /// <summary>The peer closed (or timed out) between or inside requests; nothing to answer.</summary>
    Closed,
}

/// <summary>
/// Reads HTTP/1.1 requests from one socket through a single pooled buffer: head up to the blank line, then a
/// Content-Length or chunked body. Bytes past the current request (a pipelined next request) stay buffered.
/// </summary>
internal sealed class HttpRequestReader : IDisposable
{
    /// <summary>Larger heads are refused; real KMS requests carry a handful of short headers.</summary>
    internal const int MaxHeadBytes = 32 * 1024;

    /// <summary>The largest documented request (32 KB of plaintext, Base64) fits many times over.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    private const int MaxLineBytes = 4096;
    private const int MaxTrailerLines = 64;
    private const int Closed = -1;
    private const int TooLarge = -2;

    /// <summary>Idle keep-alive connections are closed after this long; longer than HttpClient's pool idle timeout so the client always closes first.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(5);

    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly CancellationTokenSource _timeout = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private byte[] _body = [];
    private int _start;
    private int _end;

    public HttpRequestReader(Socket socket) => _socket = socket;

    public async ValueTask<ReadOutcome> ReadAsync(HttpRequest request)
    {
        request.Reset();
        int headLength = await ReadHeadAsync().ConfigureAwait(false);
        if (headLength == Closed)
        {
            return ReadOutcome.Closed;
        }

        if (headLength == TooLarge)
        {
            // 400 rather than 431: the gateway error table (reference §5.1) has no row for 431.
            request.Fail(400, "Request head larger than " + MaxHeadBytes + " bytes");
            return ReadOutcome.ProtocolError;
        }

        bool parsed = HttpHeadParser.TryParse(_buffer.AsSpan(_start, headLength), request, out string? error);
        _start += headLength + HeadTerminator.Length;
        if (!parsed)
        {
            request.Fail(400, error ?? "Malformed request");
            return ReadOutcome.ProtocolError;
        }

        return await ReadBodyAsync(request).ConfigureAwait(false);
    }

    /// <summary>After a response with Connection: close: stop sending, then read what the client still sends so closing does not reset the response away.</summary>
    public async ValueTask DrainAsync(TimeSpan limit)
    {
        _socket.Shutdown(SocketShutdown.Send);
        _timeout.CancelAfter(limit);
        int drained = 0;
        while (drained < MaxBodyBytes)
        {
            int n = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, _timeout.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            drained += n;
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        if (_body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_body);
        }
    }

    /// <summary>Returns the head length (up to, not including, the blank line), <see cref="Closed"/> or <see cref="TooLarge"/>.</summary>
    private async ValueTask<int> ReadHeadAsync()
    {
        int scanned = 0;
        while (true)
        {
            if (scanned == 0)
            {
                SkipEmptyLines();
            }

            ReadOnlySpan<byte> window = _buffer.AsSpan(_start, _end - _start);
            int from = Math.Max(0, scanned - (HeadTerminator.Length - 1));
            int found = window[from..].IndexOf(HeadTerminator);
            if (found >= 0)
            {
                return from + found;
            }

            scanned = window.Length;
            if (scanned >= MaxHeadBytes)
            {
                return TooLarge;
            }

            if (await FillAsync().ConfigureAwait(false) == 0)
            {
                return Closed;
            }
        }
    }

    /// <summary>RFC 9112 §2.2: a server should ignore empty lines received before the request line.</summary>
    private void SkipEmptyLines()
    {
        while (_end - _start >= 2 && _buffer[_start] == '\r' && _buffer[_start + 1] == '\n')
        {
            _start += 2;
        }
    }

    private async ValueTask<ReadOutcome> ReadBodyAsync(HttpRequest request)
    {
        string? transferEncoding = request.GetHeader("Transfer-Encoding");
        if (transferEncoding is not null)
        {
            if (!transferEncoding.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            {
                // Without chunked as the final coding the body length is unknowable (RFC 9112 §6.3).
                request.Fail(400, "Unsupported Transfer-Encoding");
                return ReadOutcome.ProtocolError;
            }

            await SendContinueIfExpectedAsync(request, 1).ConfigureAwait(false);
            return await ReadChunkedBodyAsync(request).ConfigureAwait(false);
        }

        string? contentLength = request.GetHeader("Content-Length");
        if (contentLength is null)
        {
            return ReadOutcome.Request;
        }

        if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
        {
            request.Fail(400, "Invalid Content-Length");
            return ReadOutcome.ProtocolError;
        }

        if (length > MaxBodyBytes)
        {
            request.Fail(413, "Request body larger than " + MaxBodyBytes + " bytes");
            return ReadOutcome.ProtocolError;
        }

        await SendContinueIfExpectedAsync(request, (int)length).ConfigureAwait(false);
        if (!await CopyToBodyAsync(0, (int)length).ConfigureAwait(false))
        {
            return ReadOutcome.Closed;
        }

        request.SetBody(_body.AsMemory(0, (int)length));
        return ReadOutcome.Request;
    }

    private async ValueTask<ReadOutcome> ReadChunkedBodyAsync(HttpRequest request)
    {
        int total = 0;
        while (true)
        {
            int lineLength = await ReadLineAsync().ConfigureAwait(false);
            if (lineLength < 0)
            {
                return FailOrClose(request, lineLength, "Chunk size line too long");
            }

            bool sizeOk = TryParseChunkSize(_buffer.AsSpan(_start, lineLength), out long size);
            _start += lineLength + Crlf.Length;
            if (!sizeOk)
            {
                request.Fail(400, "Invalid chunk size");
                return ReadOutcome.ProtocolError;
            }

            if (size == 0)
            {
                break;
            }

            if (total + size > MaxBodyBytes)
            {
                request.Fail(413, "Request body larger than " + MaxBodyBytes + " bytes");
                return ReadOutcome.ProtocolError;
            }

            if (!await CopyToBodyAsync(total, (int)size).ConfigureAwait(false))
            {
                return ReadOutcome.Closed;
            }

            total += (int)size;
            int terminator = await ReadLineAsync().ConfigureAwait(false);
            if (terminator != 0)
            {
                return FailOrClose(request, terminator < 0 ? terminator : TooLarge, "Chunk not followed by CRLF");
            }

            _start += Crlf.Length;
        }

        ReadOutcome trailers = await SkipTrailersAsync(request).ConfigureAwait(false);
        request.SetBody(_body.AsMemory(0, total));
        return trailers;
    }

    private async ValueTask<ReadOutcome> SkipTrailersAsync(HttpRequest request)
    {
        for (int i = 0; i < MaxTrailerLines; i++)
        {
            int lineLength = await ReadLineAsync().ConfigureAwait(false);
            if (lineLength < 0)
            {
                return FailOrClose(request, lineLength, "Trailer line too long");
            }

            _start += lineLength + Crlf.Length;
            if (lineLength == 0)
            {
                return ReadOutcome.Request;
            }
        }

        request.Fail(400, "Too many trailer fields");
        return ReadOutcome.ProtocolError;
    }

    private static ReadOutcome FailOrClose(HttpRequest request, int lineResult, string detail)
    {
        if (lineResult == Closed)
        {
            return ReadOutcome.Closed;
        }

        request.Fail(400, detail);
        return ReadOutcome.ProtocolError;
    }

    private static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        int extension = line.IndexOf((byte)';');
        ReadOnlySpan<byte> digits = (extension < 0 ? line : line[..extension]).Trim(" \t"u8);
        size = 0;
        if (digits.IsEmpty || digits.Length > 8)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            int value = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            size = (size * 16) + value;
        }

        return true;
    }

    /// <summary>Returns the length of the next CRLF-terminated line at the buffer start, <see cref="Closed"/> or <see cref="TooLarge"/>.</summary>
    private async ValueTask<int> ReadLineAsync()
    {
        while (true)
        {
            int found = _buffer.AsSpan(_start, _end - _start).IndexOf(Crlf);
            if (found >= 0)
            {
                return found;
            }

            if (_end - _start >= MaxLineBytes)
            {
                return TooLarge;
            }

            if (await FillAsync().ConfigureAwait(false) == 0)
            {
                return Closed;
            }
        }
    }

    /// <summary>Moves <paramref name="count"/> bytes from the connection into the body buffer at <paramref name="offset"/>.</summary>
    private async ValueTask<bool> CopyToBodyAsync(int offset, int count)
    {
        EnsureBodyCapacity(offset + count);
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end && await FillAsync().ConfigureAwait(false) == 0)
            {
                return false;
            }

            int take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(_body.AsSpan(offset + copied));
            _start += take;
            copied += take;
        }

        return true;
    }

    private void EnsureBodyCapacity(int needed)
    {
        if (_body.Length >= needed)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _body.Length * 2));
        _body.CopyTo(larger.AsSpan());
        if (_body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_body);
        }

        _body = larger;
    }

    /// <summary>Tolerates Expect: 100-continue: the interim response is sent only when the body has not already arrived.</summary>
    private async ValueTask SendContinueIfExpectedAsync(HttpRequest request, int bodyBytesNeeded)
    {
        if (bodyBytesNeeded <= _end - _start || !HttpHeadParser.HasToken(request.GetHeader("Expect"), "100-continue"))
        {
            return;
        }

        await _socket.SendAsync(ContinueResponse.AsMemory(), SocketFlags.None).ConfigureAwait(false);
    }

    /// <summary>Reads more bytes, compacting or growing the buffer first; returns 0 when the peer closed.</summary>
    private async ValueTask<int> FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            MakeRoom();
        }

        _timeout.CancelAfter(ReadTimeout);
        int received;
        try
        {
            received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        finally
        {
            _timeout.CancelAfter(Timeout.Infinite);
        }

        _end += received;
        return received;
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, _end).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
