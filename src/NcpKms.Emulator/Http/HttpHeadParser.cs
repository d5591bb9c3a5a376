using System;
using System.Text;

namespace NcpKms.Emulator.Http;

/// <summary>
/// Parses a request head (request line and header fields, without the blank line) into an
/// <see cref="HttpRequest"/>. Strict where leniency would hide client bugs (bare LF, obs-fold, spaces in the
/// target), because the emulator exists to catch them.
/// </summary>
internal static class HttpHeadParser
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static bool TryParse(ReadOnlySpan<byte> head, HttpRequest request, out string? error)
    {
        int lineEnd = head.IndexOf(Crlf);
        ReadOnlySpan<byte> requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!TryParseRequestLine(requestLine, request, out error))
        {
            return false;
        }

        ReadOnlySpan<byte> fields = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : head[(lineEnd + 2)..];
        if (!TryParseFields(fields, request, out error))
        {
            return false;
        }

        request.SetKeepAlive(DecideKeepAlive(request));
        return true;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, HttpRequest request, out string? error)
    {
        int first = line.IndexOf((byte)' ');
        int last = line.LastIndexOf((byte)' ');
        if (first <= 0 || last <= first + 1)
        {
            error = "Malformed request line";
            return false;
        }

        ReadOnlySpan<byte> method = line[..first];
        ReadOnlySpan<byte> target = line[(first + 1)..last];
        ReadOnlySpan<byte> version = line[(last + 1)..];
        bool isHttp11 = version.SequenceEqual("HTTP/1.1"u8);
        if (!isHttp11 && !version.SequenceEqual("HTTP/1.0"u8))
        {
            error = "Unsupported HTTP version";
            return false;
        }

        if (!IsToken(method) || !IsVisible(target))
        {
            error = "Malformed request line";
            return false;
        }

        // Decoded as UTF-8 so that a client which (wrongly) sends raw non-ASCII bytes signs and is verified
        // over the same bytes it put on the wire.
        string? originForm = ToOriginForm(Encoding.UTF8.GetString(target));
        if (originForm is null)
        {
            error = "Unsupported request target";
            return false;
        }

        request.SetRequestLine(MethodName(method), originForm, isHttp11);
        error = null;
        return true;
    }

    private static bool TryParseFields(ReadOnlySpan<byte> fields, HttpRequest request, out string? error)
    {
        while (!fields.IsEmpty)
        {
            int end = fields.IndexOf(Crlf);
            ReadOnlySpan<byte> line = end < 0 ? fields : fields[..end];
            fields = end < 0 ? ReadOnlySpan<byte>.Empty : fields[(end + 2)..];
            int colon = line.IndexOf((byte)':');
            // obs-fold (a line starting with whitespace) and a name without a colon are both rejected (RFC 9112 §5).
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                error = "Malformed header field";
                return false;
            }

            string name = Encoding.ASCII.GetString(line[..colon]);
            string value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8));
            request.AddHeader(name, value);
        }

        error = null;
        return true;
    }

    private static bool DecideKeepAlive(HttpRequest request)
    {
        string? connection = request.GetHeader("Connection");
        return request.IsHttp11
            ? !HasToken(connection, "close")
            : HasToken(connection, "keep-alive");
    }

    /// <summary>True when a comma-separated header value contains <paramref name="token"/> (case-insensitive).</summary>
    public static bool HasToken(string? value, string token)
    {
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> rest = value;
        while (true)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> part = comma < 0 ? rest : rest[..comma];
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        return false;
    }

    /// <summary>
    /// Proxies may send the absolute form; signing covers only path and query, so that is what the request
    /// keeps. Returns null for anything that is neither (e.g. the asterisk form).
    /// </summary>
    private static string? ToOriginForm(string target)
    {
        if (target.StartsWith('/'))
        {
            return target;
        }

        int scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return null;
        }

        int path = target.IndexOfAny(['/', '?'], scheme + 3);
        return path < 0 ? "/" : target[path] == '?' ? "/" + target[path..] : target[path..];
    }

    /// <summary>Common methods come from constants, so a request line costs no method-string allocation.</summary>
    private static string MethodName(ReadOnlySpan<byte> method)
    {
        if (method.SequenceEqual("GET"u8)) return "GET";
        if (method.SequenceEqual("POST"u8)) return "POST";
        if (method.SequenceEqual("PUT"u8)) return "PUT";
        if (method.SequenceEqual("DELETE"u8)) return "DELETE";
        if (method.SequenceEqual("HEAD"u8)) return "HEAD";
        return Encoding.ASCII.GetString(method);
    }

    private static bool IsToken(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            bool ok = (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
                || "!#$%&'*+-.^_`|~"u8.Contains(b);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisible(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (b <= 0x20 || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
