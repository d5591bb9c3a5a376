using System.Text.RegularExpressions;

namespace NcpKms.Core;

/// <summary>The key name rule of Create Key and Update Key Name (ncp-kms-api.md §6.5), checked before any request.</summary>
public static partial class KeyName
{
    public const string Rule = "a key name is 3 to 15 characters, each a letter, a digit, '-' or '_', starting with a letter";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws NcpKms.InvalidKeyName naming the parameter and the rule.</summary>
    public static void Validate(string? name, string parameterName)
    {
        if (IsValid(name)) return;
        string shown = string.IsNullOrEmpty(name) ? "An empty key name"
            : name.Length > 40 ? $"The key name '{name[..40]}...' ({name.Length} characters)"
            : $"The key name '{name}'";
        throw new KmsException("InvalidKeyName", KmsErrorKind.InvalidArgument,
            $"{shown} given to -{parameterName} is not valid: {Rule}. No request was sent.");
    }

    // \z, not $: '$' would also accept a name ending in a line feed.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]{2,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
