using System;
using System.Globalization;

namespace NcpKms.Emulator.Kms;

/// <summary>Reads parameters from a raw query string without building a collection for the whole query.</summary>
internal static class QueryString
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 200;

    /// <summary>The decoded value of the last occurrence of <paramref name="name"/>, or null when absent.</summary>
    public static string? Get(string query, string name)
    {
        string? found = null;
        ReadOnlySpan<char> rest = query;
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            ReadOnlySpan<char> part = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? ReadOnlySpan<char>.Empty : rest[(amp + 1)..];
            int equals = part.IndexOf('=');
            ReadOnlySpan<char> key = equals < 0 ? part : part[..equals];
            if (Decode(key) == name)
            {
                found = equals < 0 ? string.Empty : Decode(part[(equals + 1)..]);
            }
        }

        return found;
    }

    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when absent; anything else is 400 INVALID_REQUEST.</summary>
    public static long GetNumber(string query, string name, long fallback, long min, long max)
    {
        string? raw = Get(query, name);
        if (raw is null)
        {
            return fallback;
        }

        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        string range = max >= int.MaxValue ? "an integer >= " + min : "an integer " + min + "-" + max;
        throw KmsFault.Invalid(name + ": " + range);
    }

    /// <summary>Reference §8.1.1 and §8.7.1: pageNo from 1 (default 1), pageSize 1-200 (default 100).</summary>
    public static (int PageNo, int PageSize) GetPage(string query) =>
        ((int)GetNumber(query, "pageNo", 1, 1, int.MaxValue), (int)GetNumber(query, "pageSize", DefaultPageSize, 1, MaxPageSize));

    // '+' is read as a space, the form-encoding convention clients use for query strings.
    private static string Decode(ReadOnlySpan<char> value) => Uri.UnescapeDataString(value.ToString().Replace('+', ' '));
}
