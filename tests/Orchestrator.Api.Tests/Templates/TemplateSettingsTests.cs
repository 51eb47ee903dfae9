using System.Text.Json;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Tests.Templates;

/// <summary>A deployment's settings, checked against the bounds the catalogue gives each template.</summary>
public sealed class TemplateSettingsTests
{
    public static TheoryData<string> SettingNames =>
        [.. TemplateCatalog.All.SelectMany(t => t.Settings).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_settings_default_lies_within_its_own_bounds(string name)
    {
        var setting = Setting(name);

        Assert.Null(setting.Check(setting.Default));
        Assert.True(setting.Minimum <= setting.Maximum);
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Each_bound_is_accepted_and_one_past_it_is_refused(string name)
    {
        var setting = Setting(name);

        Assert.Null(setting.Check(Text(setting.Minimum)));
        Assert.Null(setting.Check(Text(setting.Maximum)));
        Assert.NotNull(setting.Check(Text((long)setting.Minimum - 1)));
        Assert.NotNull(setting.Check(Text((long)setting.Maximum + 1)));
    }

    [Fact]
    public void A_setting_given_as_a_number_or_a_padded_signed_string_is_passed_on_as_plain_invariant_text()
    {
        var (asNumber, numberErrors) = Request(("RATE_LIMITER_DEFAULT_LIMIT", "20")).ResolveSettings(RateLimiterTemplate.Descriptor);
        var (asString, stringErrors) = Request(("RATE_LIMITER_DEFAULT_LIMIT", "\" +20 \"")).ResolveSettings(RateLimiterTemplate.Descriptor);

        Assert.Empty(numberErrors);
        Assert.Empty(stringErrors);
        Assert.Equal("20", asNumber["RATE_LIMITER_DEFAULT_LIMIT"]);
        Assert.Equal("20", asString["RATE_LIMITER_DEFAULT_LIMIT"]);
    }

    [Fact]
    public void A_value_beyond_a_bound_is_refused_with_the_bounds_in_the_message()
    {
        var (resolved, errors) = Request(("RATE_LIMITER_DEFAULT_LIMIT", "0")).ResolveSettings(RateLimiterTemplate.Descriptor);

        Assert.Empty(resolved);
        Assert.Equal("RATE_LIMITER_DEFAULT_LIMIT must be an integer from 1 to 1000000.",
            Assert.Single(errors["settings.RATE_LIMITER_DEFAULT_LIMIT"]));
    }

    [Fact]
    public void A_setting_the_template_does_not_have_is_refused_listing_those_it_has()
    {
        var (_, errors) = Request(("CACHE_MAX_TTL_SECONDS", "60")).ResolveSettings(RateLimiterTemplate.Descriptor);

        var message = Assert.Single(errors["settings.CACHE_MAX_TTL_SECONDS"]);
        Assert.Contains("rate_limiter has no setting 'CACHE_MAX_TTL_SECONDS'", message);
        Assert.Contains("RATE_LIMITER_DEFAULT_WINDOW_SECONDS", message);
    }

    [Fact]
    public void A_template_without_settings_says_it_accepts_none()
    {
        var (_, errors) = Request(("ANYTHING", "1")).ResolveSettings(UrlShortenerTemplate.Descriptor);

        Assert.EndsWith("it accepts: none.", Assert.Single(errors["settings.ANYTHING"]));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("\"twenty\"")]
    [InlineData("2.5")]
    public void A_value_that_is_not_a_whole_number_is_refused(string json)
    {
        var (resolved, errors) = Request(("RATE_LIMITER_DEFAULT_LIMIT", json)).ResolveSettings(RateLimiterTemplate.Descriptor);

        Assert.Empty(resolved);
        Assert.Single(errors);
    }

    [Fact]
    public void Every_bad_setting_is_named_at_once_and_the_good_ones_are_kept()
    {
        var (resolved, errors) = Request(("RATE_LIMITER_DEFAULT_LIMIT", "5"), ("RATE_LIMITER_DEFAULT_WINDOW_SECONDS", "0"),
            ("RATE_LIMITER_RULE_CACHE_MILLISECONDS", "1001")).ResolveSettings(RateLimiterTemplate.Descriptor);

        Assert.Equal("5", Assert.Single(resolved).Value);
        Assert.Equal(["settings.RATE_LIMITER_DEFAULT_WINDOW_SECONDS", "settings.RATE_LIMITER_RULE_CACHE_MILLISECONDS"],
            errors.Keys.Order());
    }

    private static TemplateSetting Setting(string name) =>
        TemplateCatalog.All.SelectMany(t => t.Settings).Single(s => s.Name == name);

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static CreateDeploymentRequest Request(params (string Name, string Json)[] settings) =>
        new("rate_limiter", "d", null, Settings: settings.ToDictionary(s => s.Name, s => JsonDocument.Parse(s.Json).RootElement));
}
