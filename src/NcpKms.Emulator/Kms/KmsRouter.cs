using System;
using System.Collections.Generic;
using System.Linq;

namespace NcpKms.Emulator.Kms;

/// <summary>An operation bound to a route; reads its inputs from the call and writes the response into it.</summary>
internal delegate void KmsOperation(KmsCall call);

/// <summary>The parameters a route template captured, e.g. <c>{keyTag}</c>, already percent-decoded.</summary>
internal sealed class RouteValues
{
    public static readonly RouteValues Empty = new([], []);

    private readonly string[] _names;
    private readonly string[] _values;

    public RouteValues(string[] names, string[] values)
    {
        _names = names;
        _values = values;
    }

    public string Get(string name)
    {
        int index = Array.IndexOf(_names, name);
        return index < 0 ? throw new KeyNotFoundException("Route has no parameter " + name) : _values[index];
    }
}

/// <summary>What routing decided for a method and path.</summary>
internal readonly record struct RouteMatch(KmsOperation? Operation, RouteValues Values, string? AllowedMethods)
{
    public bool IsFound => Operation is not null;

    /// <summary>The path exists under another method: answer 405 with these methods in Allow.</summary>
    public bool IsWrongMethod => Operation is null && AllowedMethods is not null;
}

/// <summary>
/// Matches a method and raw path against templates such as <c>/kms/v1/keys/{keyTag}/rotate</c>. Each path
/// segment is percent-decoded before matching, so an encoded key tag arrives in its decoded form.
/// </summary>
internal sealed class KmsRouter
{
    private readonly List<Route> _routes = [];

    public void Map(string method, string template, KmsOperation operation) =>
        _routes.Add(new Route(method, template.Split('/'), operation));

    public RouteMatch Match(string method, string rawPath)
    {
        string[] segments = rawPath.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = Uri.UnescapeDataString(segments[i]);
        }

        string? allowed = null;
        foreach (Route route in _routes)
        {
            if (!route.Matches(segments))
            {
                continue;
            }

            if (route.Method == method)
            {
                return new RouteMatch(route.Operation, route.Capture(segments), null);
            }

            allowed = allowed is null ? route.Method : allowed + ", " + route.Method;
        }

        return new RouteMatch(null, RouteValues.Empty, allowed);
    }

    private sealed class Route
    {
        private readonly string[] _template;
        private readonly string[] _parameterNames;

        public Route(string method, string[] template, KmsOperation operation)
        {
            Method = method;
            Operation = operation;
            _template = template;
            _parameterNames = template.Where(IsParameter).Select(s => s[1..^1]).ToArray();
        }

        public string Method { get; }

        public KmsOperation Operation { get; }

        public bool Matches(string[] segments)
        {
            if (segments.Length != _template.Length)
            {
                return false;
            }

            for (int i = 0; i < segments.Length; i++)
            {
                bool ok = IsParameter(_template[i]) ? segments[i].Length > 0 : segments[i] == _template[i];
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        public RouteValues Capture(string[] segments)
        {
            if (_parameterNames.Length == 0)
            {
                return RouteValues.Empty;
            }

            var values = new string[_parameterNames.Length];
            int next = 0;
            for (int i = 0; i < segments.Length; i++)
            {
                if (IsParameter(_template[i]))
                {
                    values[next++] = segments[i];
                }
            }

            return new RouteValues(_parameterNames, values);
        }

        private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
    }
}
