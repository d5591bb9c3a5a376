using System;

namespace NcpKms.Emulator.Kms;

/// <summary>Reads parameters from a raw query string without building a collection for the whole query.</summary>
internal static class QueryString
{
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

    // '+' is read as a space, the form-encoding convention clients use for query strings.
    private static string Decode(ReadOnlySpan<char> value) => Uri.UnescapeDataString(value.ToString().Replace('+', ' '));
}
