using System;
using System.Globalization;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Crypto;

/// <summary>
/// The <c>ncpkms:v{N}:{base64}</c> form of ciphertexts (reference §4.1) and, inferred from the API 1.0 Sign
/// page, of signatures: the version that made the value, then its bytes. The one parser for both.
/// </summary>
internal static class KmsPrefix
{
    private const string Start = "ncpkms:v";

    public static string Format(int version, byte[] payload) =>
        string.Create(CultureInfo.InvariantCulture, $"{Start}{version}:{Convert.ToBase64String(payload)}");

    /// <summary>
    /// The version and bytes of a prefixed value; anything else is 400 INVALID_REQUEST naming <paramref name="name"/>.
    /// The version must be written canonically (no sign, no leading zeros), so an edited prefix never reads as
    /// the original one.
    /// </summary>
    public static (int Version, byte[] Payload) Parse(string value, string name)
    {
        int colon = value.StartsWith(Start, StringComparison.Ordinal) ? value.IndexOf(':', Start.Length) : -1;
        string digits = colon < 0 ? string.Empty : value[Start.Length..colon];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int version)
            || version.ToString(CultureInfo.InvariantCulture) != digits)
        {
            throw KmsFault.Invalid(name + ": not a KMS value of the form ncpkms:v{N}:{base64}");
        }

        return (version, JsonBody.DecodeBase64(value[(colon + 1)..], name));
    }
}
