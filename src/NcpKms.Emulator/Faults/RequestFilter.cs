using System;
using System.IO.Enumeration;
using NcpKms.Emulator.Http;

namespace NcpKms.Emulator.Faults;

/// <summary>
/// Which requests a fault applies to: an HTTP method and a wildcard pattern for the path (without the query),
/// each optional. Both compare case-insensitively, as PowerShell's -like does; '*' spans '/' too, so
/// '*/rotate' matches every rotation.
/// </summary>
internal sealed record RequestFilter(string? Method, string? Path)
{
    public static readonly RequestFilter Any = new(null, null);

    public bool Matches(HttpRequest request) =>
        (Method is null || Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase))
        && (Path is null || FileSystemName.MatchesSimpleExpression(Path, request.Path));

    /// <summary>"POST requests to */rotate", "every request", ...: the scope in words for a fault's description.</summary>
    public string Describe() => (Method, Path) switch
    {
        (null, null) => "every request",
        (string method, null) => method.ToUpperInvariant() + " requests",
        (null, string path) => "requests to " + path,
        (string method, string path) => method.ToUpperInvariant() + " requests to " + path,
    };
}
