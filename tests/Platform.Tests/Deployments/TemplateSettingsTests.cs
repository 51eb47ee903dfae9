using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>Every template is listed with its settings, and a deployment's settings reach its service.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TemplateSettingsTests(PlatformFixture platform)
{
    private readonly PlatformClient client = new(platform);

    [Fact]
    public async Task Templates_list_the_four_templates_and_the_custom_service_with_expected_deploy_time_and_settings()
    {
        var templates = (await platform.Api.GetFromJsonAsync<JsonElement>("/api/templates")).GetProperty("templates")
            .EnumerateArray().ToDictionary(t => t.GetProperty("problem_type").GetString()!);

        Assert.Equal(["custom", "distributed_cache", "notification_system", "rate_limiter", "url_shortener"],
            templates.Keys.Order(StringComparer.Ordinal));
        Assert.All(templates.Values, t => Assert.True(t.GetProperty("expected_deploy_seconds").GetDouble() > 0));
        var limit = templates["rate_limiter"].GetProperty("settings").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "RATE_LIMITER_DEFAULT_LIMIT");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal("100", limit.GetProperty("default").GetString());
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.Equal(1_000_000, limit.GetProperty("maximum").GetInt32());
    }

    [Fact]
    public async Task A_rate_limiter_deployed_with_settings_enforces_the_chosen_default_rule()
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new
        {
            problem_type = "rate_limiter",
            design_text = "Sliding window in Redis, rules in PostgreSQL.",
            settings = new Dictionary<string, object> { ["RATE_LIMITER_DEFAULT_LIMIT"] = 3, ["RATE_LIMITER_DEFAULT_WINDOW_SECONDS"] = "120" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetInt64();
        Assert.Equal("3", accepted.GetProperty("settings").GetProperty("RATE_LIMITER_DEFAULT_LIMIT").GetString());

        var ready = await client.WaitForStateAsync(id, "ready");
        using var service = new HttpClient { BaseAddress = new Uri(ready.EndpointUrl!) };
        var rule = await service.GetFromJsonAsync<JsonElement>("/api/rules/default");
        Assert.Equal(3, rule.GetProperty("limit").GetInt32());
        Assert.Equal(120, rule.GetProperty("window_seconds").GetInt32());

        var allowed = 0;
        for (var i = 0; i < 4; i++)
        {
            using var check = await service.PostAsJsonAsync("/api/check", new { key = "candidate-7" });
            allowed += check.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(3, allowed);

        await client.DeleteAsync(id);
        await client.WaitForStateAsync(id, "deleted");
    }

    [Fact]
    public async Task Unknown_out_of_range_or_malformed_settings_get_400_naming_each_and_create_nothing()
    {
        await using var count = platform.PlatformDatabase.CreateCommand("SELECT count(*) FROM platform.deployments");
        var before = (long)(await count.ExecuteScalarAsync())!;

        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new
        {
            problem_type = "rate_limiter",
            design_text = "x",
            settings = new Dictionary<string, object>
            {
                ["RATE_LIMITER_DEFAULT_LIMIT"] = 0,
                ["RATE_LIMITER_DEFAULT_WINDOW_SECONDS"] = "a minute",
                ["RATE_LIMITER_RULE_CACHE_MILLISECONDS"] = true,
                ["CACHE_MAX_TTL_SECONDS"] = 10,
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("from 1 to 1000000", errors.GetProperty("settings.RATE_LIMITER_DEFAULT_LIMIT")[0].GetString());
        Assert.Contains("integer", errors.GetProperty("settings.RATE_LIMITER_DEFAULT_WINDOW_SECONDS")[0].GetString());
        Assert.Contains("number or a string", errors.GetProperty("settings.RATE_LIMITER_RULE_CACHE_MILLISECONDS")[0].GetString());
        Assert.Contains("has no setting", errors.GetProperty("settings.CACHE_MAX_TTL_SECONDS")[0].GetString());
        Assert.Equal(before, (long)(await count.ExecuteScalarAsync())!);
    }
}
