using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Templates.RateLimiter;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.Templates.Tests.RateLimiter;

[Collection(CandidateStoresCollection.Name)]
public sealed class RateLimiterTests(CandidateStores stores)
{
    [Fact]
    public async Task Rules_can_be_created_read_listed_changed_and_deleted()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var created = await app.Http.CreateRuleAsync("login", 10, 60);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/rules/login", created.Headers.Location?.ToString());
        var rule = await created.ReadObjectAsync();
        Assert.Equal("login", rule["name"]!.GetValue<string>());
        Assert.Equal(10, rule["limit"]!.GetValue<int>());
        Assert.Equal(60, rule["window_seconds"]!.GetValue<int>());
        Assert.NotNull(rule["created_at"]);
        Assert.NotNull(rule["updated_at"]);

        using var duplicate = await app.Http.CreateRuleAsync("login", 5, 5);
        await ProblemAssert.IsProblemAsync(duplicate, HttpStatusCode.Conflict);

        var list = await app.Http.GetFromJsonAsync<JsonObject>("/api/rules");
        var names = list!["items"]!.AsArray().Select(item => item!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["default", "login"], names);
        var defaultRule = list["items"]!.AsArray().Single(item => item!["name"]!.GetValue<string>() == "default")!;
        Assert.Equal(100, defaultRule["limit"]!.GetValue<int>());
        Assert.Equal(60, defaultRule["window_seconds"]!.GetValue<int>());

        using var updated = await app.Http.PutAsJsonAsync("/api/rules/login", new { limit = 20, window_seconds = 30 });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var changed = await updated.ReadObjectAsync();
        Assert.Equal(20, changed["limit"]!.GetValue<int>());
        Assert.Equal(30, changed["window_seconds"]!.GetValue<int>());
        Assert.True(changed["updated_at"]!.GetValue<DateTimeOffset>() > changed["created_at"]!.GetValue<DateTimeOffset>());

        var read = await app.Http.GetFromJsonAsync<JsonObject>("/api/rules/login");
        Assert.Equal(20, read!["limit"]!.GetValue<int>());

        using var deleted = await app.Http.DeleteAsync("/api/rules/login");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await app.Http.GetAsync("/api/rules/login");
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound);
        using var deletedAgain = await app.Http.DeleteAsync("/api/rules/login");
        await ProblemAssert.IsProblemAsync(deletedAgain, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Changing_a_missing_rule_creates_nothing()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var response = await app.Http.PutAsJsonAsync("/api/rules/nope", new { limit = 5, window_seconds = 5 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        using var read = await app.Http.GetAsync("/api/rules/nope");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"Login","limit":10,"window_seconds":60}""", "name")]
    [InlineData("""{"name":"","limit":10,"window_seconds":60}""", "name")]
    [InlineData("""{"name":"a/b","limit":10,"window_seconds":60}""", "name")]
    [InlineData("""{"limit":10,"window_seconds":60}""", "name")]
    [InlineData("""{"name":"ok","limit":0,"window_seconds":60}""", "limit")]
    [InlineData("""{"name":"ok","limit":1000001,"window_seconds":60}""", "limit")]
    [InlineData("""{"name":"ok","window_seconds":60}""", "limit")]
    [InlineData("""{"name":"ok","limit":10,"window_seconds":0}""", "window_seconds")]
    [InlineData("""{"name":"ok","limit":10,"window_seconds":86401}""", "window_seconds")]
    [InlineData("""{"name":"ok","limit":10}""", "window_seconds")]
    public async Task Invalid_rules_get_400_with_the_field_and_change_nothing(string body, string field)
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var response = await app.Http.PostAsync("/api/rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        var list = await app.Http.GetFromJsonAsync<JsonObject>("/api/rules");
        Assert.Single(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_name_of_64_characters_and_the_extreme_limits_are_accepted()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var widest = await app.Http.CreateRuleAsync(new string('a', 64), 1_000_000, 86_400);
        using var narrowest = await app.Http.CreateRuleAsync("x_1-y", 1, 1);
        using var tooLong = await app.Http.CreateRuleAsync(new string('a', 65), 1, 1);

        Assert.Equal(HttpStatusCode.Created, widest.StatusCode);
        Assert.Equal(HttpStatusCode.Created, narrowest.StatusCode);
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task Checks_are_allowed_up_to_the_limit_then_denied_with_429_and_rate_limit_headers()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("login", 3, 60)).Dispose();

        for (var i = 1; i <= 3; i++)
        {
            using var allowed = await app.Http.CheckAsync("user-1", "login");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            var body = await allowed.ReadObjectAsync();
            Assert.True(body["allowed"]!.GetValue<bool>());
            Assert.Equal(3, body["limit"]!.GetValue<int>());
            Assert.Equal(3 - i, body["remaining"]!.GetValue<int>());
            Assert.Equal(0, body["retry_after_seconds"]!.GetValue<int>());
            Assert.Equal("login", body["rule"]!.GetValue<string>());
            Assert.Equal("user-1", body["key"]!.GetValue<string>());
            Assert.Equal("3", Header(allowed, "X-RateLimit-Limit"));
            Assert.Equal($"{3 - i}", Header(allowed, "X-RateLimit-Remaining"));
            Assert.InRange(int.Parse(Header(allowed, "X-RateLimit-Reset")), 1, 60);
            Assert.False(allowed.Headers.Contains("Retry-After"));
        }

        using var denied = await app.Http.CheckAsync("user-1", "login");
        Assert.Equal(HttpStatusCode.TooManyRequests, denied.StatusCode);
        var deniedBody = await denied.ReadObjectAsync();
        Assert.False(deniedBody["allowed"]!.GetValue<bool>());
        Assert.Equal(0, deniedBody["remaining"]!.GetValue<int>());
        var retryAfter = deniedBody["retry_after_seconds"]!.GetValue<int>();
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal($"{retryAfter}", Header(denied, "Retry-After"));
        Assert.Equal($"{retryAfter}", Header(denied, "X-RateLimit-Reset"));
        Assert.Equal("0", Header(denied, "X-RateLimit-Remaining"));

        // Another key has its own window.
        using var otherKey = await app.Http.CheckAsync("user-2", "login");
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Cost_spends_several_units_and_a_cost_that_no_longer_fits_is_denied()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("upload", 5, 60)).Dispose();

        using var first = await app.Http.CheckAsync("k", "upload", cost: 2);
        using var second = await app.Http.CheckAsync("k", "upload", cost: 2);
        using var third = await app.Http.CheckAsync("k", "upload", cost: 2);
        using var fourth = await app.Http.CheckAsync("k", "upload", cost: 1);
        using var fifth = await app.Http.CheckAsync("k", "upload", cost: 1);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(1, (await third.ReadObjectAsync())["remaining"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
    }

    [Fact]
    public async Task Without_a_rule_the_default_rule_applies()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var response = await app.Http.CheckAsync("anyone");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("default", body["rule"]!.GetValue<string>());
        Assert.Equal(100, body["limit"]!.GetValue<int>());
        Assert.Equal(99, body["remaining"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"rule":"default"}""", "key")]
    [InlineData("""{"key":""}""", "key")]
    [InlineData("""{"key":"k","cost":0}""", "cost")]
    [InlineData("""{"key":"k","cost":101}""", "cost")]
    [InlineData("""{"key":"k","rule":"Not Valid"}""", "rule")]
    public async Task Invalid_checks_get_400_with_the_field(string body, string field)
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var response = await app.Http.PostAsync("/api/check", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_key_of_200_characters_is_accepted_and_201_is_refused()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var longest = await app.Http.CheckAsync(new string('k', 200));
        using var tooLong = await app.Http.CheckAsync(new string('k', 201));

        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "key");
    }

    [Fact]
    public async Task A_check_against_an_unknown_rule_gets_404()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        using var response = await app.Http.CheckAsync("k", "missing");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Twenty_concurrent_checks_against_a_limit_of_ten_allow_exactly_ten()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("burst", 10, 60)).Dispose();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await app.Http.CheckAsync("same-key", "burst");
            return response.StatusCode;
        }));

        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Two_instances_share_one_exact_limit()
    {
        var candidate = await stores.ProvisionAsync(RateLimiterTemplate.Descriptor);
        await using var first = await stores.StartAsync(candidate);
        await using var second = await stores.StartAsync(candidate);
        (await first.Http.CreateRuleAsync("shared", 10, 60)).Dispose();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? first : second).Http.CheckAsync("same-key", "shared");
            return response.StatusCode;
        }));

        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task The_window_slides_units_free_one_window_after_they_were_spent()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("sliding", 2, 3)).Dispose();

        // t0: one unit; t0+1.5 s: one more; then the window is full.
        var start = TimeProvider.System.GetTimestamp();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.CheckAsync("k", "sliding")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HttpStatusCode.OK, (await app.Http.CheckAsync("k", "sliding")).StatusCode);
        using var full = await app.Http.CheckAsync("k", "sliding");
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        // The first unit leaves at t0+3 s: what is left of that is the wait.
        Assert.InRange((await full.ReadObjectAsync())["retry_after_seconds"]!.GetValue<int>(), 1, 2);

        // After t0+3.3 s the first unit has left, the second (spent at t0+1.5 s) has not: exactly one fits.
        var untilFirstLeaves = TimeSpan.FromSeconds(3.3) - TimeProvider.System.GetElapsedTime(start);
        await Task.Delay(untilFirstLeaves > TimeSpan.Zero ? untilFirstLeaves : TimeSpan.Zero);
        using var afterFirstLeft = await app.Http.CheckAsync("k", "sliding");
        using var stillFull = await app.Http.CheckAsync("k", "sliding");

        Assert.Equal(HttpStatusCode.OK, afterFirstLeft.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillFull.StatusCode);
    }

    [Fact]
    public async Task A_rule_change_is_in_force_on_another_instance_within_a_second()
    {
        var candidate = await stores.ProvisionAsync(RateLimiterTemplate.Descriptor);
        await using var writer = await stores.StartAsync(candidate);
        await using var reader = await stores.StartAsync(candidate);
        (await writer.Http.CreateRuleAsync("api", 100, 60)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await reader.Http.CheckAsync("warm", "api")).StatusCode);

        using var changed = await writer.Http.PutAsJsonAsync("/api/rules/api", new { limit = 1, window_seconds = 60 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        // The instance that made the change enforces it at once.
        using var onWriter = await writer.Http.CheckAsync("writer-key", "api");
        Assert.Equal(1, (await onWriter.ReadObjectAsync())["limit"]!.GetValue<int>());

        await Task.Delay(TimeSpan.FromSeconds(1));
        using var firstOnReader = await reader.Http.CheckAsync("reader-key", "api");
        using var secondOnReader = await reader.Http.CheckAsync("reader-key", "api");
        Assert.Equal(1, (await firstOnReader.ReadObjectAsync())["limit"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.TooManyRequests, secondOnReader.StatusCode);
    }

    [Fact]
    public async Task A_deleted_rule_stops_applying_and_a_recreated_one_starts_with_an_empty_window()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("temp", 1, 60)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.CheckAsync("k", "temp")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Http.CheckAsync("k", "temp")).StatusCode);

        (await app.Http.DeleteAsync("/api/rules/temp")).Dispose();
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.CheckAsync("k", "temp")).StatusCode);

        (await app.Http.CreateRuleAsync("temp", 1, 60)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.CheckAsync("k", "temp")).StatusCode);
    }

    [Fact]
    public async Task Checks_keep_working_after_Redis_forgets_the_script()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.CheckAsync("k")).StatusCode);

        await stores.AdminRedis.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        using var afterFlush = await app.Http.CheckAsync("k");

        Assert.Equal(HttpStatusCode.OK, afterFlush.StatusCode);
        Assert.Equal(98, (await afterFlush.ReadObjectAsync())["remaining"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_default_rule_follows_its_settings_until_the_api_changes_it()
    {
        var settings = new Dictionary<string, string>
        {
            [RateLimiterTemplate.DefaultLimit.Name] = "5",
            [RateLimiterTemplate.DefaultWindowSeconds.Name] = "10",
        };
        var candidate = await stores.ProvisionAsync(RateLimiterTemplate.Descriptor, settings);
        await using (var app = await stores.StartAsync(candidate))
        {
            var rule = await app.Http.GetFromJsonAsync<JsonObject>("/api/rules/default");
            Assert.Equal(5, rule!["limit"]!.GetValue<int>());
            Assert.Equal(10, rule["window_seconds"]!.GetValue<int>());
            (await app.Http.PutAsJsonAsync("/api/rules/default", new { limit = 7, window_seconds = 10 })).Dispose();
        }

        await using var restarted = await stores.StartAsync(candidate);
        var kept = await restarted.Http.GetFromJsonAsync<JsonObject>("/api/rules/default");
        Assert.Equal(7, kept!["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_out_of_range_setting_fails_the_start_naming_the_variable()
    {
        var settings = new Dictionary<string, string> { [RateLimiterTemplate.DefaultLimit.Name] = "0" };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => stores.StartAsync(RateLimiterTemplate.Descriptor, settings));

        Assert.Contains(RateLimiterTemplate.DefaultLimit.Name, failure.Message);
    }

    [Fact]
    public async Task It_touches_only_keys_under_its_prefix()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);
        (await app.Http.CreateRuleAsync("iso", 2, 60)).Dispose();
        for (var i = 0; i < 3; i++)
        {
            (await app.Http.CheckAsync("user:with:colons", "iso")).Dispose();
        }

        var keys = await stores.AllRedisKeysAsync();
        var own = keys.Where(key => key.StartsWith(app.Candidate.RedisPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, own.Count);
        Assert.All(own, key => Assert.EndsWith(":user:with:colons", key));
        Assert.Empty(await stores.DeniedRedisCommandsAsync(app.Candidate));
        Assert.All(keys, key => Assert.StartsWith("sub:", key));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"No {name} header.");
}
