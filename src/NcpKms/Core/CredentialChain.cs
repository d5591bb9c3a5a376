using System;
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

    private readonly Func<string, string?> _environment;
    private readonly string _configPath;

    public CredentialChain(Func<string, string?> environment, string homeDirectory)
    {
        _environment = environment;
        _configPath = NcloudConfigFile.DefaultPath(homeDirectory);
    }

    /// <summary>The chain of the current process: its environment and the user's home folder.</summary>
    public static CredentialChain ForCurrentProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify));

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
