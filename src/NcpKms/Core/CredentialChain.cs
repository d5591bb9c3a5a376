using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;

namespace NcpKms.Core;

/// <summary>
/// The implicit part of the credential chain: environment variables, then the ncloud configure file.
/// (The explicit links, -Context and the Connect-NcpKms session, live in the cmdlets.)
/// </summary>
public sealed class CredentialChain
{
    public static readonly string[] AccessKeyVariables = { "NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY" };
    public static readonly string[] SecretKeyVariables = { "NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_SECRET_KEY" };
    public const string ProfileVariable = "NCLOUD_PROFILE";

    private static readonly ConcurrentDictionary<string, bool> WarnedFiles = new(StringComparer.Ordinal);

    private readonly Func<string, string?> _environment;
    private readonly string _configPath;
    private readonly Action<string>? _warn;

    /// <param name="warn">Told once per process when the configure file can be read by other users.</param>
    public CredentialChain(Func<string, string?> environment, string homeDirectory, Action<string>? warn = null)
    {
        _environment = environment;
        _configPath = NcloudConfigFile.DefaultPath(homeDirectory);
        _warn = warn;
    }

    /// <summary>The chain of the current process: its environment and the user's home folder.</summary>
    public static CredentialChain ForCurrentProcess(Action<string>? warn = null) =>
        new(Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), warn);

    /// <summary>
    /// On Linux and macOS, a configure file that group or others may read or write exposes the secret key
    /// (the ncloud CLI and ssh expect 600). Windows protects the profile folder by ACL, so nothing is checked there.
    /// </summary>
    public static string? ExposureOf(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        const UnixFileMode exposing = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        UnixFileMode mode = File.GetUnixFileMode(path);
        return (mode & exposing) == 0 ? null
            : $"{path} can be read or changed by other users (mode {Convert.ToString((int)mode & 0x1FF, 8)}), and it holds a secret key: run chmod 600 {path}.";
    }

    public string ConfigPath => _configPath;

    /// <summary>
    /// Environment first, then the configure file. Returns null when neither holds anything, and adds a line
    /// per source to <paramref name="tried"/>. Half a pair, or a named profile that does not exist, throws.
    /// </summary>
    public KmsCredential? Resolve(List<string> tried) =>
        FromEnvironment(tried) ?? FromConfigFile(Variable(ProfileVariable), ProfileVariable, tried);

    /// <summary>A profile of the configure file, asked for by name (Connect-NcpKms -ProfileName).</summary>
    public KmsCredential FromProfile(string profileName)
    {
        var tried = new List<string>();
        return FromConfigFile(profileName, "-ProfileName", tried)
            ?? throw new KmsException("CredentialsNotFound", KmsErrorKind.Authentication, $"No credentials: {tried[0]}.");
    }

    private KmsCredential? FromEnvironment(List<string> tried)
    {
        (string? accessName, string? accessKey) = FirstSet(AccessKeyVariables);
        (string? secretName, string? secretKey) = FirstSet(SecretKeyVariables);
        if (accessKey is null && secretKey is null)
        {
            tried.Add($"environment variables: none of {string.Join(", ", AccessKeyVariables)}, {string.Join(", ", SecretKeyVariables)} is set");
            return null;
        }

        if (accessKey is null)
            throw Incomplete($"The environment variable {secretName} holds a secret key, but no access key is set: set {Either(AccessKeyVariables)}.");
        if (secretKey is null)
            throw Incomplete($"The environment variable {accessName} holds an access key, but no secret key is set: set {Either(SecretKeyVariables)}.");

        return new KmsCredential(accessKey, secretKey, $"Environment: {accessName}, {secretName}");
    }

    private KmsCredential? FromConfigFile(string? profileName, string profileOrigin, List<string> tried)
    {
        if (!File.Exists(_configPath))
        {
            if (profileName is not null)
                throw ProfileMissing(profileName, profileOrigin, $"{_configPath} does not exist");
            tried.Add($"ncloud configure file: {_configPath} does not exist");
            return null;
        }

        if (_warn is not null && ExposureOf(_configPath) is string exposure && WarnedFiles.TryAdd(_configPath, true)) _warn(exposure);
        NcloudConfigFile file = NcloudConfigFile.Load(_configPath);
        string profile = profileName ?? NcloudConfigFile.DefaultProfile;
        IReadOnlyDictionary<string, string>? values = file.GetProfile(profile);
        if (values is null && profileName is not null)
            throw ProfileMissing(profileName, profileOrigin, $"{_configPath} has no [{profileName}] section");

        string? accessKey = Value(values, NcloudConfigFile.AccessKeyName);
        string? secretKey = Value(values, NcloudConfigFile.SecretKeyName);
        if (accessKey is null && secretKey is null)
        {
            tried.Add($"ncloud configure file: profile '{profile}' in {_configPath} has no {NcloudConfigFile.AccessKeyName} or {NcloudConfigFile.SecretKeyName}");
            return null;
        }

        if (accessKey is null || secretKey is null)
        {
            string missing = accessKey is null ? NcloudConfigFile.AccessKeyName : NcloudConfigFile.SecretKeyName;
            throw Incomplete($"Profile '{profile}' in {_configPath} has only half a key pair: {missing} is missing.");
        }

        return new KmsCredential(accessKey, secretKey, $"Profile '{profile}' in {_configPath}", profile);
    }

    private (string? Name, string? Value) FirstSet(string[] names)
    {
        foreach (string name in names)
        {
            string? value = Variable(name);
            if (value is not null) return (name, value);
        }

        return (null, null);
    }

    private string? Variable(string name)
    {
        string? value = _environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static string? Value(IReadOnlyDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    private static string Either(string[] names) => string.Join(" or ", names);

    private static KmsException Incomplete(string message) =>
        new("IncompleteCredentials", KmsErrorKind.InvalidArgument, message);

    private static KmsException ProfileMissing(string profileName, string origin, string why) =>
        new("ProfileNotFound", KmsErrorKind.NotFound, $"Profile '{profileName}' (from {origin}) was not found: {why}.");
}
