using System;
using System.Text.Json;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class JsonFieldsTests
{
    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("{\"keyList\":[1]}")]
    [InlineData("{\"KeyList\":[1]}")]
    [InlineData("{\"KEYLIST\":[1]}")]
    [InlineData("{\"keyList\":null,\"KeyList\":[1]}")]
    public void Property_names_match_case_insensitively(string json)
    {
        JsonElement list = JsonFields.RequiredArray(Json(json), "keyList");

        Assert.Equal(1, list.GetArrayLength());
    }

    [Fact]
    public void An_exact_match_is_preferred_over_another_casing()
    {
        Assert.Equal("exact", JsonFields.String(Json("{\"KeyTag\":\"other\",\"keyTag\":\"exact\"}"), "keyTag"));
    }

    [Theory]
    [InlineData("{\"v\":1234}", "1234")]
    [InlineData("{\"v\":-5}", "-5")]
    [InlineData("{\"v\":true}", "true")]
    [InlineData("{\"v\":false}", "false")]
    [InlineData("{\"v\":\"text\"}", "text")]
    [InlineData("{\"v\":\"\"}", "")]
    public void String_accepts_strings_numbers_and_booleans(string json, string expected)
    {
        Assert.Equal(expected, JsonFields.String(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":1234}", 1234L)]
    [InlineData("{\"v\":\"1234\"}", 1234L)]
    [InlineData("{\"v\":1733462407906}", 1733462407906L)]
    [InlineData("{\"v\":\"-7\"}", -7L)]
    public void Long_accepts_numbers_and_numeric_strings(string json, long expected)
    {
        Assert.Equal(expected, JsonFields.Long(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":90}", 90)]
    [InlineData("{\"v\":\"90\"}", 90)]
    public void Int_accepts_numbers_and_numeric_strings(string json, int expected)
    {
        Assert.Equal(expected, JsonFields.Int(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":true}", true)]
    [InlineData("{\"v\":false}", false)]
    [InlineData("{\"v\":\"true\"}", true)]
    [InlineData("{\"v\":\"False\"}", false)]
    public void Bool_accepts_booleans_and_boolean_strings(string json, bool expected)
    {
        Assert.Equal(expected, JsonFields.Bool(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":null}")]
    [InlineData("{}")]
    [InlineData("{\"other\":1}")]
    public void Null_and_missing_are_absent(string json)
    {
        JsonElement element = Json(json);

        Assert.Null(JsonFields.String(element, "v"));
        Assert.Null(JsonFields.Long(element, "v"));
        Assert.Null(JsonFields.Int(element, "v"));
        Assert.Null(JsonFields.Bool(element, "v"));
        Assert.Null(JsonFields.EpochMilliseconds(element, "v"));
        Assert.False(JsonFields.TryGet(element, "v", out _));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_non_object_has_no_fields(string json)
    {
        Assert.False(JsonFields.TryGet(Json(json), "v", out _));
        Assert.Null(JsonFields.String(Json(json), "v"));
    }

    [Fact]
    public void A_default_element_has_no_fields()
    {
        Assert.False(JsonFields.TryGet(default, "v", out _));
    }

    [Theory]
    [InlineData("{\"v\":{\"a\":1}}")]
    [InlineData("{\"v\":[1]}")]
    public void String_of_an_object_or_array_is_a_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => JsonFields.String(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":\"four\"}")]
    [InlineData("{\"v\":1.5}")]
    [InlineData("{\"v\":true}")]
    [InlineData("{\"v\":[1]}")]
    [InlineData("{\"v\":\"\"}")]
    [InlineData("{\"v\":99999999999999999999}")]
    public void Long_of_a_non_integer_is_a_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => JsonFields.Long(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":2147483648}")]
    [InlineData("{\"v\":-2147483649}")]
    public void Int_out_of_range_is_a_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => JsonFields.Int(Json(json), "v"));
    }

    [Theory]
    [InlineData("{\"v\":\"yes\"}")]
    [InlineData("{\"v\":1}")]
    [InlineData("{\"v\":{}}")]
    public void Bool_of_a_non_boolean_is_a_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => JsonFields.Bool(Json(json), "v"));
    }

    [Fact]
    public void A_FormatException_names_the_field_and_the_JSON_kind()
    {
        var exception = Assert.Throws<FormatException>(() => JsonFields.Int(Json("{\"version\":\"four\"}"), "version"));

        Assert.Contains("'version'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("string", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1733462407906L, 2024, 12, 6, 5, 20, 7, 906)]
    [InlineData(1733452211270L, 2024, 12, 6, 2, 30, 11, 270)]
    [InlineData(1741228211270L, 2025, 3, 6, 2, 30, 11, 270)]
    [InlineData(0L, 1970, 1, 1, 0, 0, 0, 0)]
    [InlineData(1L, 1970, 1, 1, 0, 0, 0, 1)]
    public void EpochMilliseconds_is_a_UTC_DateTime_exact_to_the_millisecond(long milliseconds, int year, int month, int day, int hour, int minute, int second, int millisecond)
    {
        DateTime? date = JsonFields.EpochMilliseconds(Json($"{{\"d\":{milliseconds}}}"), "d");

        Assert.NotNull(date);
        Assert.Equal(DateTimeKind.Utc, date.Value.Kind);
        Assert.Equal(new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc).Ticks, date.Value.Ticks);
    }

    [Fact]
    public void EpochMilliseconds_accepts_a_numeric_string()
    {
        Assert.Equal(new DateTime(2024, 12, 6, 5, 20, 7, 906, DateTimeKind.Utc), JsonFields.EpochMilliseconds(Json("{\"d\":\"1733462407906\"}"), "d"));
    }

    [Fact]
    public void EpochMilliseconds_out_of_range_is_a_FormatException()
    {
        Assert.Throws<FormatException>(() => JsonFields.EpochMilliseconds(Json("{\"d\":9223372036854775807}"), "d"));
    }

    [Fact]
    public void Required_readers_throw_FormatException_for_a_missing_field()
    {
        JsonElement element = Json("{\"present\":1,\"nothing\":null}");

        Assert.Contains("'keyTag'", Assert.Throws<FormatException>(() => JsonFields.RequiredString(element, "keyTag")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => JsonFields.RequiredInt(element, "nothing"));
        Assert.Throws<FormatException>(() => JsonFields.RequiredDate(element, "rotatedDate"));
        Assert.Throws<FormatException>(() => JsonFields.RequiredArray(element, "keyList"));
    }

    [Fact]
    public void RequiredArray_of_a_non_array_is_a_FormatException()
    {
        Assert.Throws<FormatException>(() => JsonFields.RequiredArray(Json("{\"keyList\":{}}"), "keyList"));
    }

    [Fact]
    public void Required_readers_return_present_values()
    {
        JsonElement element = Json("{\"keyTag\":\"abc\",\"version\":\"4\",\"rotatedDate\":1733462407906}");

        Assert.Equal("abc", JsonFields.RequiredString(element, "keyTag"));
        Assert.Equal(4, JsonFields.RequiredInt(element, "VERSION"));
        Assert.Equal(new DateTime(2024, 12, 6, 5, 20, 7, 906, DateTimeKind.Utc), JsonFields.RequiredDate(element, "rotatedDate"));
    }
}
