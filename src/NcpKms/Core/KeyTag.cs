using System;
using System.Buffers;

namespace NcpKms.Core;

/// <summary>The shape rule for key tags, checked before any request so that nothing odd reaches a URL path.</summary>
public static class KeyTag
{
    public const int MaxLength = 128;

    // NCP documents no grammar for key tags; observed tags are letters and digits, and region-isolated
    // ones carry a "kr-" or "jpn-" prefix (inferred from the v3 docs). Allow letters, digits, '-' and '_'.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public const string Rule = "a key tag is 1 to 128 characters, each a letter, a digit, '-' or '_'";

    public static bool IsValid(string? keyTag) =>
        !string.IsNullOrEmpty(keyTag) && keyTag.Length <= MaxLength && !keyTag.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws NcpKms.InvalidKeyTag naming the parameter and the rule.</summary>
    public static void Validate(string? keyTag, string parameterName)
    {
        if (IsValid(keyTag)) return;
        string shown = string.IsNullOrEmpty(keyTag) ? "An empty key tag"
            : keyTag.Length > 80 ? $"The key tag '{keyTag[..80]}...' ({keyTag.Length} characters)"
            : $"The key tag '{keyTag}'";
        throw new KmsException("InvalidKeyTag", KmsErrorKind.InvalidArgument,
            $"{shown} given to -{parameterName} is not valid: {Rule}. No request was sent.") { KeyTag = keyTag };
    }
}
