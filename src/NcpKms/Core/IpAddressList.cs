using System;
using System.Collections.Generic;
using System.Globalization;

namespace NcpKms.Core;

/// <summary>
/// The addresses of a key's IP ACL (§8.6): IPv4 in dotted-quad form only. The reference documents single
/// IPv4 addresses, so CIDR ranges, IPv6 and the shorthand forms some parsers accept ("10.1", "0x0a.0.0.1",
/// octets with leading zeros, which some read as octal) are refused rather than guessed at.
/// </summary>
public static class IpAddressList
{
    public const string Rule = "an IPv4 address in dotted-quad form, four numbers 0-255 without leading zeros, such as 203.0.113.10 (no CIDR ranges, no IPv6)";

    public static bool IsValid(string? address)
    {
        if (string.IsNullOrEmpty(address)) return false;
        string[] octets = address.Split('.');
        if (octets.Length != 4) return false;
        foreach (string octet in octets)
        {
            if (octet.Length is 0 or > 3 || (octet.Length > 1 && octet[0] == '0')) return false;
            foreach (char c in octet) if (c is < '0' or > '9') return false;
            if (int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture) > 255) return false;
        }

        return true;
    }

    /// <summary>
    /// The addresses to send: surrounding white space trimmed (lines read from a file keep their '\r'),
    /// duplicates dropped, order kept. The first bad one throws NcpKms.InvalidIpAddress naming it.
    /// </summary>
    public static IReadOnlyList<string> Validate(IEnumerable<string?> addresses, string parameterName, string keyTag)
    {
        var valid = new List<string>();
        foreach (string? given in addresses)
        {
            string address = given?.Trim() ?? string.Empty;
            if (!IsValid(address))
            {
                throw new KmsException("InvalidIpAddress", KmsErrorKind.InvalidArgument,
                    $"'{given}' given to -{parameterName} is not {Rule}. No request was sent for key '{keyTag}'.") { KeyTag = keyTag };
            }

            if (!valid.Contains(address)) valid.Add(address);
        }

        return valid;
    }
}
