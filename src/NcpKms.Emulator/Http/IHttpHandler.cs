using System;
using System.Threading.Tasks;

namespace NcpKms.Emulator.Http;

/// <summary>
/// The application side of the server: turns one parsed request into one response. The server owns the
/// socket, so a handler never writes bytes itself; it fills <see cref="HttpResponse"/> and may ask for the
/// connection to be closed or dropped (the hook later fault injection needs).
/// </summary>
internal interface IHttpHandler
{
    ValueTask HandleAsync(HttpRequest request, HttpResponse response);
}
