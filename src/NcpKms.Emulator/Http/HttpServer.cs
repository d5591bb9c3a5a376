using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Emulator.Http;

/// <summary>
/// A small HTTP/1.1 server on a loopback socket. It exists instead of HttpListener because the emulator must
/// own every byte of the exchange: on Linux the managed HttpListener turns <c>Response.Abort()</c> into a
/// complete <c>200 OK</c>, so it cannot drop a connection mid-exchange, and it cannot bind port 0.
/// </summary>
internal sealed class HttpServer
{
    private readonly Socket _listener;
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private IHttpHandler? _handler;
    private Task _acceptLoop = Task.CompletedTask;
    private int _stopped;

    private HttpServer(Socket listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>The bound port; the system's choice when started with port 0.</summary>
    public int Port { get; }

    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    /// <summary>
    /// Binds 127.0.0.1 only (never other interfaces). Connections queue in the backlog until
    /// <see cref="Start"/>, so the caller can build its handler knowing the port first.
    /// </summary>
    /// <exception cref="SocketException">The port is in use or cannot be bound.</exception>
    public static HttpServer Bind(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new HttpServer(listener);
    }

    public void Start(IHttpHandler handler)
    {
        _handler = handler;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>
    /// Closes the listening socket (the port is free when this returns), resets every open connection, and
    /// waits up to <paramref name="timeout"/> for in-flight requests to unwind. Never blocks longer than that.
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _listener.Dispose();
        foreach (HttpConnection connection in _connections.Keys)
        {
            connection.Abort();
        }

        var clock = Stopwatch.StartNew();
        _acceptLoop.Wait(timeout);
        while (!_connections.IsEmpty && clock.Elapsed < timeout)
        {
            Thread.Sleep(5);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (IsRunning)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is SocketException && !IsRunning))
            {
                return;
            }
            catch (SocketException)
            {
                // A client that reset before the accept completed, or a transient shortage such as file
                // handles: keep serving, but pause briefly so a persistent error cannot spin a core.
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            StartConnection(client);
        }
    }

    private void StartConnection(Socket client)
    {
        HttpConnection connection;
        try
        {
            // Responses go out in one write; without NoDelay a keep-alive client can wait on delayed ACKs.
            client.NoDelay = true;
            connection = new HttpConnection(client, _handler!);
        }
        catch (SocketException)
        {
            // The client already reset the connection; it must not end the accept loop.
            client.Dispose();
            return;
        }

        _connections.TryAdd(connection, 0);
        if (!IsRunning)
        {
            // Stop ran between the accept and the registration and did not see this connection.
            connection.Abort();
        }

        // Run off the accept loop so a connection that already has data queued cannot delay the next accept.
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.RunAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A handler bug ends this connection only; the server keeps serving the others.
            }
            finally
            {
                _connections.TryRemove(connection, out _);
            }
        });
    }
}
