using System.Collections.Generic;
using System.IO;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class NcloudConfigFileTests
{
    private const string Path = "/home/user/.ncloud/configure";

    private static IReadOnlyDictionary<string, string> Profile(string text, string name = NcloudConfigFile.DefaultProfile) =>
        NcloudConfigFile.Parse(Path, text).GetProfile(name) ?? throw new Xunit.Sdk.XunitException($"no profile '{name}'");

    [Fact]
    public void Keys_before_any_header_form_the_default_profile()
    {
        IReadOnlyDictionary<string, string> profile = Profile("ncloud_access_key_id = AK1\nncloud_secret_access_key = SK1\n");

        Assert.Equal("AK1", profile[NcloudConfigFile.AccessKeyName]);
        Assert.Equal("SK1", profile[NcloudConfigFile.SecretKeyName]);
    }

    [Fact]
    public void Keys_before_any_header_and_under_DEFAULT_make_one_profile_and_later_keys_win()
    {
        const string text = """
            ncloud_access_key_id = EARLY_AK
            ncloud_api_url = https://ncloud.apigw.ntruss.com
            [DEFAULT]
            ncloud_access_key_id = LATE_AK
            ncloud_secret_access_key = SK
            """;

        IReadOnlyDictionary<string, string> profile = Profile(text);

        Assert.Equal("LATE_AK", profile[NcloudConfigFile.AccessKeyName]);
        Assert.Equal("SK", profile[NcloudConfigFile.SecretKeyName]);
        Assert.Equal("https://ncloud.apigw.ntruss.com", profile["ncloud_api_url"]);
    }

    [Fact]
    public void A_second_DEFAULT_section_adds_to_the_first_and_its_keys_win()
    {
        const string text = "[DEFAULT]\nncloud_access_key_id = AK1\nncloud_secret_access_key = SK1\n[other]\nncloud_access_key_id = X\n[DEFAULT]\nncloud_secret_access_key = SK2\n";

        IReadOnlyDictionary<string, string> profile = Profile(text);

        Assert.Equal("AK1", profile[NcloudConfigFile.AccessKeyName]);
        Assert.Equal("SK2", profile[NcloudConfigFile.SecretKeyName]);
    }

    [Fact]
    public void A_named_profile_is_read_exactly_from_its_own_section()
    {
        const string text = """
            [DEFAULT]
            ncloud_access_key_id = DEFAULT_AK
            ncloud_secret_access_key = DEFAULT_SK

            [project]
            ncloud_access_key_id = PROJECT_AK
            ncloud_secret_access_key = PROJECT_SK

            [project-2]
            ncloud_access_key_id = OTHER_AK
            """;
        NcloudConfigFile file = NcloudConfigFile.Parse(Path, text);

        IReadOnlyDictionary<string, string>? project = file.GetProfile("project");

        Assert.NotNull(project);
        Assert.Equal("PROJECT_AK", project[NcloudConfigFile.AccessKeyName]);
        Assert.Equal("PROJECT_SK", project[NcloudConfigFile.SecretKeyName]);
        Assert.Equal("DEFAULT_AK", file.GetProfile("DEFAULT")![NcloudConfigFile.AccessKeyName]);
        Assert.False(file.GetProfile("project-2")!.ContainsKey(NcloudConfigFile.SecretKeyName));
    }

    [Fact]
    public void A_named_profile_does_not_inherit_keys_from_DEFAULT()
    {
        IReadOnlyDictionary<string, string> profile = Profile("[DEFAULT]\nncloud_secret_access_key = DEFAULT_SK\n[p]\nncloud_access_key_id = P_AK\n", "p");

        Assert.False(profile.ContainsKey(NcloudConfigFile.SecretKeyName));
    }

    [Theory]
    [InlineData("Project")]
    [InlineData("PROJECT")]
    [InlineData("proj")]
    public void Profile_names_are_matched_exactly(string name)
    {
        NcloudConfigFile file = NcloudConfigFile.Parse(Path, "[project]\nncloud_access_key_id = AK\n");

        Assert.Null(file.GetProfile(name));
    }

    [Fact]
    public void Whitespace_inside_a_section_header_is_trimmed()
    {
        Assert.Equal("AK", Profile("[ project ]\nncloud_access_key_id = AK\n", "project")[NcloudConfigFile.AccessKeyName]);
    }

    [Fact]
    public void A_missing_profile_is_null()
    {
        Assert.Null(NcloudConfigFile.Parse(Path, "[DEFAULT]\nncloud_access_key_id = AK\n").GetProfile("missing"));
    }

    [Theory]
    [InlineData("ncloud_secret_access_key = abc=def==", "abc=def==")]
    [InlineData("ncloud_secret_access_key=abc=", "abc=")]
    [InlineData("ncloud_secret_access_key =   spaced value  ", "spaced value")]
    [InlineData("ncloud_secret_access_key =", "")]
    public void Splits_on_the_first_equals_sign_and_trims(string line, string expected)
    {
        Assert.Equal(expected, Profile(line)[NcloudConfigFile.SecretKeyName]);
    }

    [Theory]
    [InlineData("# ncloud_access_key_id = COMMENTED")]
    [InlineData("; ncloud_access_key_id = COMMENTED")]
    [InlineData("   # ncloud_access_key_id = COMMENTED")]
    [InlineData("\t; ncloud_access_key_id = COMMENTED")]
    public void Comment_lines_are_ignored(string comment)
    {
        IReadOnlyDictionary<string, string> profile = Profile("ncloud_access_key_id = REAL\n" + comment + "\n");

        Assert.Equal("REAL", profile[NcloudConfigFile.AccessKeyName]);
    }

    [Fact]
    public void CRLF_line_endings_leave_no_carriage_return_in_names_or_values()
    {
        NcloudConfigFile file = NcloudConfigFile.Parse(Path, "[DEFAULT]\r\nncloud_access_key_id = AK\r\nncloud_secret_access_key = SK\r\n\r\n[work]\r\nncloud_access_key_id = WORK_AK\r\n");

        Assert.Equal("AK", file.GetProfile("DEFAULT")![NcloudConfigFile.AccessKeyName]);
        Assert.Equal("SK", file.GetProfile("DEFAULT")![NcloudConfigFile.SecretKeyName]);
        Assert.Equal("WORK_AK", file.GetProfile("work")![NcloudConfigFile.AccessKeyName]);
    }

    [Fact]
    public void Blank_and_whitespace_only_lines_are_ignored()
    {
        IReadOnlyDictionary<string, string> profile = Profile("\n\n   \n\t\nncloud_access_key_id = AK\n\n \nncloud_secret_access_key = SK\n\n");

        Assert.Equal(2, profile.Count);
        Assert.Equal("SK", profile[NcloudConfigFile.SecretKeyName]);
    }

    [Fact]
    public void Unknown_keys_and_lines_without_a_key_are_ignored()
    {
        IReadOnlyDictionary<string, string> profile = Profile("region = KR\nthis line has no equals sign\n= orphan value\nncloud_access_key_id = AK\n");

        Assert.Equal("AK", profile[NcloudConfigFile.AccessKeyName]);
        Assert.False(profile.ContainsKey(string.Empty));
        Assert.Equal("KR", profile["region"]);
    }

    [Theory]
    [InlineData("NCLOUD_ACCESS_KEY_ID = AK")]
    [InlineData("Ncloud_Access_Key_Id = AK")]
    [InlineData("ncloud_access_key_id = AK")]
    public void Key_names_are_matched_case_insensitively(string line)
    {
        Assert.Equal("AK", Profile(line)[NcloudConfigFile.AccessKeyName]);
    }

    [Fact]
    public void An_empty_file_has_an_empty_default_profile()
    {
        Assert.Empty(Profile(string.Empty));
    }

    [Fact]
    public void DefaultPath_is_dot_ncloud_configure_under_the_home_directory()
    {
        string home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "home");

        Assert.Equal(System.IO.Path.Combine(home, ".ncloud", "configure"), NcloudConfigFile.DefaultPath(home));
    }

    [Fact]
    public void Load_reads_the_file_and_keeps_its_path()
    {
        using var home = new TempHome();
        home.WriteConfig("[DEFAULT]\nncloud_access_key_id = AK\n");

        NcloudConfigFile file = NcloudConfigFile.Load(home.ConfigPath);

        Assert.Equal(home.ConfigPath, file.Path);
        Assert.Equal("AK", file.GetProfile("DEFAULT")![NcloudConfigFile.AccessKeyName]);
        Assert.True(File.Exists(file.Path));
    }
}
