using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Emulator.Http;

/// <summary>
/// One accepted TCP connection: read a request, let the handler answer it, write the response, repeat while
/// keep-alive holds. Requests on a connection are strictly sequential, which is what lets the request,
/// response and output buffers be reused instead of allocated per request.
/// </summary>
internal sealed class HttpConnection
{
    /// <summary>How long a closing connection waits for the client to finish sending before the socket is closed.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly IHttpHandler _handler;
    private readonly HttpRequest _request = new();
    private readonly HttpResponse _response = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private int _aborted;

    public HttpConnection(Socket socket, IHttpHandler handler)
    {
        _socket = socket;
        _handler = handler;
        _request.RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
    }

    public async Task RunAsync()
    {
        using var reader = new HttpRequestReader(_socket);
        try
        {
            while (await ServeOneAsync(reader).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The peer went away or the server is stopping: nothing left to answer.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>Closes the connection at once with a reset, so a stopping server leaves no TIME_WAIT on its port.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed; disposing below is still safe.
        }

        _socket.Dispose();
    }

    /// <summary>Serves one request; returns whether the connection stays open for another.</summary>
    private async ValueTask<bool> ServeOneAsync(HttpRequestReader reader)
    {
        ReadOutcome outcome = await reader.ReadAsync(_request).ConfigureAwait(false);
        if (outcome == ReadOutcome.Closed)
        {
            return false;
        }

        _response.Reset();
        await _handler.HandleAsync(_request, _response).ConfigureAwait(false);
        if (_response.Disposition == ResponseDisposition.Drop)
        {
            Abort();
            return false;
        }

        bool keepAlive = outcome == ReadOutcome.Request && _request.KeepAlive
            && _response.Disposition == ResponseDisposition.Send && Volatile.Read(ref _aborted) == 0;
        await WriteResponseAsync(keepAlive).ConfigureAwait(false);
        if (!keepAlive)
        {
            await reader.DrainAsync(DrainLimit).ConfigureAwait(false);
        }

        return keepAlive;
    }

    private async ValueTask WriteResponseAsync(bool keepAlive)
    {
        _output.ResetWrittenCount();
        int status = _response.StatusCode;
        WriteText("HTTP/1.1 ");
        WriteText(status.ToString(CultureInfo.InvariantCulture));
        WriteText(" ");
        WriteText(HttpStatus.ReasonPhrase(status));
        WriteText("\r\n");
        foreach (KeyValuePair<string, string> header in _response.Headers)
        {
            WriteHeader(header.Key, header.Value);
        }

        bool sendBody = HttpStatus.AllowsBody(status) && _request.Method != "HEAD";
        WriteHeader("Content-Length", _response.Body.WrittenCount.ToString(CultureInfo.InvariantCulture));
        if (!keepAlive)
        {
            WriteHeader("Connection", "close");
        }
        else if (!_request.IsHttp11)
        {
            WriteHeader("Connection", "keep-alive");
        }

        WriteText("\r\n");
        if (sendBody)
        {
            _output.Write(_response.Body.WrittenSpan);
        }

        await SendAllAsync(_output.WrittenMemory).ConfigureAwait(false);
    }

    private void WriteHeader(string name, string value)
    {
        WriteText(name);
        WriteText(": ");
        WriteText(value);
        WriteText("\r\n");
    }

    private void WriteText(string text) => Encoding.UTF8.GetBytes(text.AsSpan(), _output);

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}
