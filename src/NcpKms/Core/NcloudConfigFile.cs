using System;
using System.Collections.Generic;
using System.IO;

namespace NcpKms.Core;

/// <summary>
/// The ncloud CLI credentials file (~/.ncloud/configure). Parsed as INI the way go-ini reads it:
/// keys before any header and keys under [DEFAULT] form the default profile, later keys win,
/// a named profile is its own [name] section (matched exactly, with no inheritance from DEFAULT).
/// </summary>
public sealed class NcloudConfigFile
{
    public const string DefaultProfile = "DEFAULT";
    public const string AccessKeyName = "ncloud_access_key_id";
    public const string SecretKeyName = "ncloud_secret_access_key";

    private readonly Dictionary<string, Dictionary<string, string>> _profiles;

    private NcloudConfigFile(string path, Dictionary<string, Dictionary<string, string>> profiles)
    {
        Path = path;
        _profiles = profiles;
    }

    public string Path { get; }

    public IEnumerable<string> ProfileNames => _profiles.Keys;

    /// <summary>The file's location for a home directory: ~/.ncloud/configure.</summary>
    public static string DefaultPath(string homeDirectory) =>
        System.IO.Path.Combine(homeDirectory, ".ncloud", "configure");

    public static NcloudConfigFile Load(string path) => Parse(path, File.ReadAllText(path));

    public static NcloudConfigFile Parse(string path, string text)
    {
        var profiles = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string> current = ProfileOf(profiles, DefaultProfile);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                current = ProfileOf(profiles, line[1..^1].Trim());
                continue;
            }

            // Split on the first '=' only: a value may itself contain '='.
            int equals = line.IndexOf('=');
            if (equals <= 0) continue;
            current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return new NcloudConfigFile(path, profiles);
    }

    /// <summary>The keys of a profile, or null when the file has no such section.</summary>
    public IReadOnlyDictionary<string, string>? GetProfile(string name) =>
        _profiles.TryGetValue(name, out Dictionary<string, string>? values) ? values : null;

    private static Dictionary<string, string> ProfileOf(Dictionary<string, Dictionary<string, string>> profiles, string name)
    {
        if (!profiles.TryGetValue(name, out Dictionary<string, string>? values))
        {
            // Key names are matched case-insensitively: hand-edited files vary.
            values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            profiles[name] = values;
        }

        return values;
    }
}
