using System;
using System.Collections.Generic;
using System.IO;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class CredentialChainTests : IDisposable
{
    private const string EnvSecret = "ENV-SECRET-0a1b2c3d4e5f";
    private const string FileSecret = "FILE-SECRET-9z8y7x6w";
    private const string WorkSecret = "WORK-SECRET-5v4u3t2s";

    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private CredentialChain Chain(params (string Name, string? Value)[] variables) =>
        new(FakeEnvironment.Of(variables), _home.Path);

    private void WriteDefaultAndWorkProfiles() => _home.WriteConfig($"""
        [DEFAULT]
        ncloud_access_key_id = FILE_AK_DEFAULT
        ncloud_secret_access_key = {FileSecret}

        [work]
        ncloud_access_key_id = FILE_AK_WORK
        ncloud_secret_access_key = {WorkSecret}
        """);

    private static string Signature(string secret, string accessKey) =>
        SignatureV2.Sign(System.Text.Encoding.UTF8.GetBytes(secret), "GET", Vectors.ListPath, Vectors.Timestamp, accessKey);

    private static string SignedBy(KmsCredential credential) => credential.Sign("GET", Vectors.ListPath, Vectors.Timestamp);

    [Fact]
    public void ConfigPath_is_dot_ncloud_configure_under_the_home_directory()
    {
        Assert.Equal(_home.ConfigPath, Chain().ConfigPath);
    }

    [Fact]
    public void Long_spellings_win_over_short_ones()
    {
        CredentialChain chain = Chain(
            ("NCLOUD_ACCESS_KEY_ID", "LONG_AK"), ("NCLOUD_ACCESS_KEY", "SHORT_AK"),
            ("NCLOUD_SECRET_ACCESS_KEY", "LONG-SECRET"), ("NCLOUD_SECRET_KEY", "SHORT-SECRET"));

        KmsCredential? credential = chain.Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("LONG_AK", credential.AccessKey);
        Assert.Equal(Signature("LONG-SECRET", "LONG_AK"), SignedBy(credential));
        Assert.Equal("Environment: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY", credential.Source);
    }

    [Theory]
    [InlineData("NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY")]
    [InlineData("NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY")]
    [InlineData("NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_ACCESS_KEY")]
    [InlineData("NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_KEY")]
    public void Any_pair_of_spellings_is_accepted_and_named_in_the_source(string accessVariable, string secretVariable)
    {
        KmsCredential? credential = Chain((accessVariable, "ENV_AK"), (secretVariable, EnvSecret)).Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("ENV_AK", credential.AccessKey);
        Assert.Equal(Signature(EnvSecret, "ENV_AK"), SignedBy(credential));
        Assert.Equal($"Environment: {accessVariable}, {secretVariable}", credential.Source);
    }

    [Theory]
    [InlineData("NCLOUD_ACCESS_KEY_ID")]
    [InlineData("NCLOUD_ACCESS_KEY")]
    public void An_access_key_without_a_secret_names_both_secret_spellings(string accessVariable)
    {
        var exception = Assert.Throws<KmsException>(() => Chain((accessVariable, "ENV_AK")).Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
        Assert.Equal(KmsErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("NCLOUD_SECRET_ACCESS_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Contains("NCLOUD_SECRET_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Contains(accessVariable, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NCLOUD_SECRET_ACCESS_KEY")]
    [InlineData("NCLOUD_SECRET_KEY")]
    public void A_secret_without_an_access_key_names_both_access_spellings_and_not_the_secret(string secretVariable)
    {
        var exception = Assert.Throws<KmsException>(() => Chain((secretVariable, EnvSecret)).Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
        Assert.Contains("NCLOUD_ACCESS_KEY_ID", exception.Message, StringComparison.Ordinal);
        Assert.Matches(@"\bNCLOUD_ACCESS_KEY\b", exception.Message);
        Assert.DoesNotContain(EnvSecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_a_pair_in_the_environment_fails_even_when_the_file_holds_a_full_pair()
    {
        WriteDefaultAndWorkProfiles();

        var exception = Assert.Throws<KmsException>(() => Chain(("NCLOUD_ACCESS_KEY", "ENV_AK")).Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
        Assert.DoesNotContain(FileSecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_only_variables_count_as_unset()
    {
        CredentialChain chain = Chain(
            ("NCLOUD_ACCESS_KEY_ID", "   "), ("NCLOUD_ACCESS_KEY", "SHORT_AK"),
            ("NCLOUD_SECRET_ACCESS_KEY", "\t"), ("NCLOUD_SECRET_KEY", EnvSecret));

        KmsCredential? credential = chain.Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("SHORT_AK", credential.AccessKey);
        Assert.Equal("Environment: NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY", credential.Source);
    }

    [Fact]
    public void A_whitespace_only_secret_next_to_an_access_key_is_half_a_pair()
    {
        var exception = Assert.Throws<KmsException>(() =>
            Chain(("NCLOUD_ACCESS_KEY_ID", "ENV_AK"), ("NCLOUD_SECRET_ACCESS_KEY", "  "), ("NCLOUD_SECRET_KEY", "")).Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
    }

    [Fact]
    public void Whitespace_only_variables_everywhere_fall_through_to_the_file()
    {
        WriteDefaultAndWorkProfiles();
        CredentialChain chain = Chain(
            ("NCLOUD_ACCESS_KEY_ID", " "), ("NCLOUD_ACCESS_KEY", ""), ("NCLOUD_SECRET_ACCESS_KEY", "\t"), ("NCLOUD_SECRET_KEY", " "),
            ("NCLOUD_PROFILE", "  "));

        KmsCredential? credential = chain.Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("FILE_AK_DEFAULT", credential.AccessKey);
    }

    [Fact]
    public void The_environment_beats_the_file()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential? credential = Chain(("NCLOUD_ACCESS_KEY_ID", "ENV_AK"), ("NCLOUD_SECRET_ACCESS_KEY", EnvSecret), ("NCLOUD_PROFILE", "work"))
            .Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("ENV_AK", credential.AccessKey);
        Assert.StartsWith("Environment:", credential.Source, StringComparison.Ordinal);
        Assert.Null(credential.ProfileName);
    }

    [Fact]
    public void Without_environment_variables_the_default_profile_of_the_file_is_used()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential? credential = Chain().Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("FILE_AK_DEFAULT", credential.AccessKey);
        Assert.Equal(Signature(FileSecret, "FILE_AK_DEFAULT"), SignedBy(credential));
        Assert.Equal($"Profile 'DEFAULT' in {_home.ConfigPath}", credential.Source);
        Assert.Equal("DEFAULT", credential.ProfileName);
    }

    [Fact]
    public void A_section_less_file_is_the_default_profile()
    {
        _home.WriteConfig($"ncloud_access_key_id = FILE_AK\r\nncloud_secret_access_key = {FileSecret}\r\n");

        KmsCredential? credential = Chain().Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("FILE_AK", credential.AccessKey);
        Assert.Equal(Signature(FileSecret, "FILE_AK"), SignedBy(credential));
    }

    [Fact]
    public void NCLOUD_PROFILE_picks_a_named_profile()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential? credential = Chain(("NCLOUD_PROFILE", "work")).Resolve(new List<string>());

        Assert.NotNull(credential);
        Assert.Equal("FILE_AK_WORK", credential.AccessKey);
        Assert.Equal(Signature(WorkSecret, "FILE_AK_WORK"), SignedBy(credential));
        Assert.Equal($"Profile 'work' in {_home.ConfigPath}", credential.Source);
        Assert.Equal("work", credential.ProfileName);
    }

    [Fact]
    public void NCLOUD_PROFILE_naming_a_missing_profile_is_ProfileNotFound()
    {
        WriteDefaultAndWorkProfiles();

        var exception = Assert.Throws<KmsException>(() => Chain(("NCLOUD_PROFILE", "missing")).Resolve(new List<string>()));

        Assert.Equal("ProfileNotFound", exception.Reason);
        Assert.Equal(KmsErrorKind.NotFound, exception.Kind);
        Assert.Contains("'missing'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("NCLOUD_PROFILE", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkSecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NCLOUD_PROFILE_without_a_configure_file_is_ProfileNotFound()
    {
        var exception = Assert.Throws<KmsException>(() => Chain(("NCLOUD_PROFILE", "work")).Resolve(new List<string>()));

        Assert.Equal("ProfileNotFound", exception.Reason);
        Assert.Contains(_home.ConfigPath, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProfile_reads_a_named_profile()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential credential = Chain().FromProfile("work");

        Assert.Equal("FILE_AK_WORK", credential.AccessKey);
        Assert.Equal($"Profile 'work' in {_home.ConfigPath}", credential.Source);
    }

    [Fact]
    public void FromProfile_ignores_the_environment()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential credential = Chain(("NCLOUD_ACCESS_KEY_ID", "ENV_AK"), ("NCLOUD_SECRET_ACCESS_KEY", EnvSecret), ("NCLOUD_PROFILE", "other"))
            .FromProfile("DEFAULT");

        Assert.Equal("FILE_AK_DEFAULT", credential.AccessKey);
    }

    [Fact]
    public void FromProfile_for_a_missing_profile_is_ProfileNotFound_naming_the_parameter()
    {
        WriteDefaultAndWorkProfiles();

        var exception = Assert.Throws<KmsException>(() => Chain().FromProfile("nope"));

        Assert.Equal("ProfileNotFound", exception.Reason);
        Assert.Contains("'nope'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-ProfileName", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[nope]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProfile_without_a_configure_file_is_ProfileNotFound()
    {
        var exception = Assert.Throws<KmsException>(() => Chain().FromProfile("DEFAULT"));

        Assert.Equal("ProfileNotFound", exception.Reason);
        Assert.Contains("does not exist", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProfile_for_a_profile_without_keys_is_CredentialsNotFound()
    {
        _home.WriteConfig("[empty]\nncloud_api_url = https://ncloud.apigw.ntruss.com\n");

        var exception = Assert.Throws<KmsException>(() => Chain().FromProfile("empty"));

        Assert.Equal("CredentialsNotFound", exception.Reason);
        Assert.Contains("'empty'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_anywhere_is_null_and_tried_names_each_source()
    {
        var tried = new List<string>();

        KmsCredential? credential = Chain().Resolve(tried);

        Assert.Null(credential);
        Assert.Equal(2, tried.Count);
        foreach (string variable in new[] { "NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_SECRET_KEY" })
            Assert.Contains(variable, tried[0], StringComparison.Ordinal);
        Assert.Contains(_home.ConfigPath, tried[1], StringComparison.Ordinal);
        Assert.Contains("does not exist", tried[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_keys_in_the_default_profile_is_null_and_tried_says_so()
    {
        _home.WriteConfig("[work]\nncloud_access_key_id = AK\nncloud_secret_access_key = SK\n");
        var tried = new List<string>();

        KmsCredential? credential = Chain().Resolve(tried);

        Assert.Null(credential);
        Assert.Equal(2, tried.Count);
        Assert.Contains("'DEFAULT'", tried[1], StringComparison.Ordinal);
        Assert.Contains(NcloudConfigFile.AccessKeyName, tried[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[DEFAULT]\nncloud_access_key_id = FILE_AK\n", NcloudConfigFile.SecretKeyName)]
    [InlineData("[DEFAULT]\nncloud_secret_access_key = FILE-SECRET-9z8y7x6w\n", NcloudConfigFile.AccessKeyName)]
    [InlineData("[DEFAULT]\nncloud_secret_access_key = FILE-SECRET-9z8y7x6w\nncloud_access_key_id =\n", NcloudConfigFile.AccessKeyName)]
    public void Half_a_pair_in_the_file_is_IncompleteCredentials_naming_the_missing_key(string text, string missing)
    {
        _home.WriteConfig(text);

        var exception = Assert.Throws<KmsException>(() => Chain().Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
        Assert.Contains(missing, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_profile_does_not_borrow_the_secret_of_DEFAULT()
    {
        _home.WriteConfig($"[DEFAULT]\nncloud_secret_access_key = {FileSecret}\n[work]\nncloud_access_key_id = WORK_AK\n");

        var exception = Assert.Throws<KmsException>(() => Chain(("NCLOUD_PROFILE", "work")).Resolve(new List<string>()));

        Assert.Equal("IncompleteCredentials", exception.Reason);
        Assert.DoesNotContain(FileSecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_source_text_or_rendering_of_a_resolved_credential_contains_the_secret()
    {
        WriteDefaultAndWorkProfiles();

        KmsCredential fromEnvironment = Chain(("NCLOUD_ACCESS_KEY", "ENV_AK_123456"), ("NCLOUD_SECRET_KEY", EnvSecret)).Resolve(new List<string>())!;
        KmsCredential fromFile = Chain().Resolve(new List<string>())!;
        KmsCredential fromProfile = Chain().FromProfile("work");

        foreach ((KmsCredential credential, string secret) in new[] { (fromEnvironment, EnvSecret), (fromFile, FileSecret), (fromProfile, WorkSecret) })
        {
            Assert.DoesNotContain(secret, credential.Source, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, credential.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, credential.MaskedAccessKey, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_configure_file_others_can_read_is_reported_once_with_the_fix()
    {
        if (OperatingSystem.IsWindows()) return;
        _home.WriteConfig($"ncloud_access_key_id = FILE_AK\nncloud_secret_access_key = {FileSecret}\n");
        File.SetUnixFileMode(_home.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var warnings = new List<string>();

        new CredentialChain(_ => null, _home.Path, warnings.Add).Resolve(new List<string>());
        new CredentialChain(_ => null, _home.Path, warnings.Add).Resolve(new List<string>());

        string warning = Assert.Single(warnings);
        Assert.Contains("chmod 600", warning, StringComparison.Ordinal);
        Assert.Contains("604", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_owner_only_configure_file_is_not_reported()
    {
        if (OperatingSystem.IsWindows()) return;
        _home.WriteConfig($"ncloud_access_key_id = FILE_AK\nncloud_secret_access_key = {FileSecret}\n");
        File.SetUnixFileMode(_home.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(CredentialChain.ExposureOf(_home.ConfigPath));
    }
}
