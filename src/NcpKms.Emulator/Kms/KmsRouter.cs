using System;
using System.Collections.Generic;
using System.Linq;

namespace NcpKms.Emulator.Kms;

/// <summary>An operation bound to a route; reads its inputs from the call and writes the response into it.</summary>
internal delegate void KmsOperation(KmsCall call);

/// <summary>Which credentials an operation accepts (reference §3.7).</summary>
[Flags]
internal enum AuthModes
{
    /// <summary>Signature v2 with the account's access key.</summary>
    Account = 1,

    /// <summary>An access token in x-ncp-ocapi-token.</summary>
    AccessToken = 2,

    /// <summary>A refresh token in x-ncp-ocapi-token.</summary>
    RefreshToken = 4,

    AccountOrAccessToken = Account | AccessToken,
}

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

    /// <summary>The value of <paramref name="name"/>, or null when the route has no such parameter.</summary>
    public string? Find(string name)
    {
        int index = Array.IndexOf(_names, name);
        return index < 0 ? null : _values[index];
    }
}

/// <summary>
/// One API: method, path template, the operation, its name in the activity log (reference §8.7.1
/// <c>data.api.action</c>) and the credentials it accepts.
/// </summary>
internal sealed record KmsApi(string Method, string Template, string Action, AuthModes Auth, KmsOperation Operation);

/// <summary>What routing decided for a method and path.</summary>
internal readonly record struct RouteMatch(KmsApi? Api, RouteValues Values, string? AllowedMethods)
{
    public bool IsFound => Api is not null;

    /// <summary>The path exists under another method: answer 405 with these methods in Allow.</summary>
    public bool IsWrongMethod => Api is null && AllowedMethods is not null;
}

/// <summary>
/// Matches a method and raw path against templates such as <c>/kms/v1/keys/{keyTag}/rotate</c>. Each path
/// segment is percent-decoded before matching, so an encoded key tag arrives in its decoded form.
/// </summary>
internal sealed class KmsRouter
{
    private readonly List<Route> _routes = [];

    public void Map(string method, string template, string action, AuthModes auth, KmsOperation operation) =>
        _routes.Add(new Route(new KmsApi(method, template, action, auth, operation)));

    /// <summary>An account-authenticated API: every operation except the crypto and token ones (reference §3.7).</summary>
    public void Map(string method, string template, string action, KmsOperation operation) =>
        Map(method, template, action, AuthModes.Account, operation);

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

            if (route.Api.Method == method)
            {
                return new RouteMatch(route.Api, route.Capture(segments), null);
            }

            allowed = allowed is null ? route.Api.Method : allowed + ", " + route.Api.Method;
        }

        return new RouteMatch(null, RouteValues.Empty, allowed);
    }

    private sealed class Route
    {
        private readonly string[] _template;
        private readonly string[] _parameterNames;

        public Route(KmsApi api)
        {
            Api = api;
            _template = api.Template.Split('/');
            _parameterNames = _template.Where(IsParameter).Select(s => s[1..^1]).ToArray();
        }

        public KmsApi Api { get; }

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
