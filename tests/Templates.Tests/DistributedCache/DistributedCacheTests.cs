using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Sdp.Templates.DistributedCache;
using Sdp.Templates.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.DistributedCache;

[Collection(CandidateStoresCollection.Name)]
public sealed class DistributedCacheTests(CandidateStores stores)
{
    [Fact]
    public async Task A_write_goes_to_PostgreSQL_and_Redis_and_is_read_back_as_a_hit()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);

        using var put = await PutAsync(app, "greeting", "hello", ttlSeconds: 60);
        var written = await put.Content.ReadFromJsonAsync<JsonObject>();
        using var get = await app.Http.GetAsync("/api/cache/greeting");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("greeting", written!["key"]!.GetValue<string>());
        Assert.Equal("hello", written["value"]!.GetValue<string>());
        var expiresAt = written["expires_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("HIT", CacheHeader(get));
        var read = await get.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("hello", read!["value"]!.GetValue<string>());
        Assert.Equal(expiresAt, read["expires_at"]!.GetValue<DateTimeOffset>());

        var row = await ReadRowAsync(app, "greeting");
        Assert.Equal("hello", row!.Value.Value);
        Assert.Equal(expiresAt, row.Value.ExpiresAt);
        var ttl = await stores.AdminRedis.GetDatabase().KeyTimeToLiveAsync(RedisKey(app, "greeting"));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Without_ttl_an_entry_never_expires()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);

        using var put = await PutAsync(app, "forever", "v", ttlSeconds: null);

        var written = await put.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Null(written!["expires_at"]);
        Assert.True(written.ContainsKey("expires_at"));
        Assert.Null((await ReadRowAsync(app, "forever"))!.Value.ExpiresAt);
        Assert.Null(await stores.AdminRedis.GetDatabase().KeyTimeToLiveAsync(RedisKey(app, "forever")));
    }

    [Fact]
    public async Task A_read_missing_Redis_reads_through_to_PostgreSQL_then_hits()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "k1", "from-postgres", ttlSeconds: 120)).Dispose();
        await stores.AdminRedis.GetDatabase().KeyDeleteAsync(RedisKey(app, "k1"));

        using var miss = await app.Http.GetAsync("/api/cache/k1");
        using var hit = await app.Http.GetAsync("/api/cache/k1");

        Assert.Equal("MISS", CacheHeader(miss));
        Assert.Equal("from-postgres", (await miss.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.GetValue<string>());
        Assert.Equal("HIT", CacheHeader(hit));
        // Refilled with what is left of the entry's life, not a fresh full TTL.
        var ttl = await stores.AdminRedis.GetDatabase().KeyTimeToLiveAsync(RedisKey(app, "k1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task An_expired_entry_is_never_served_even_while_Redis_still_holds_it()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "short", "v", ttlSeconds: 1)).Dispose();
        using var fresh = await app.Http.GetAsync("/api/cache/short");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        // Redis keeps the key past its expiry, as a lagging eviction would.
        Assert.True(await stores.AdminRedis.GetDatabase().KeyPersistAsync(RedisKey(app, "short")));

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var expired = await app.Http.GetAsync("/api/cache/short");

        await ProblemAssert.IsProblemAsync(expired, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_expired_entry_is_never_served_from_PostgreSQL_and_its_row_is_removed()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "short", "v", ttlSeconds: 1)).Dispose();
        await stores.AdminRedis.GetDatabase().KeyDeleteAsync(RedisKey(app, "short"));
        Assert.NotNull(await ReadRowAsync(app, "short"));

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var expired = await app.Http.GetAsync("/api/cache/short");

        await ProblemAssert.IsProblemAsync(expired, HttpStatusCode.NotFound);
        Assert.Null(await ReadRowAsync(app, "short"));
        Assert.False(await stores.AdminRedis.GetDatabase().KeyExistsAsync(RedisKey(app, "short")));
    }

    [Fact]
    public async Task Overwriting_replaces_value_and_expiry_on_both_paths()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "k", "old", ttlSeconds: 1)).Dispose();

        (await PutAsync(app, "k", "new", ttlSeconds: null)).Dispose();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var hit = await app.Http.GetAsync("/api/cache/k");
        await stores.AdminRedis.GetDatabase().KeyDeleteAsync(RedisKey(app, "k"));
        using var miss = await app.Http.GetAsync("/api/cache/k");

        Assert.Equal("HIT", CacheHeader(hit));
        Assert.Equal("new", (await hit.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.GetValue<string>());
        Assert.Equal("MISS", CacheHeader(miss));
        Assert.Null((await miss.Content.ReadFromJsonAsync<JsonObject>())!["expires_at"]);
    }

    [Fact]
    public async Task Delete_removes_the_entry_from_both_stores_and_a_second_delete_gets_404()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "gone", "v", ttlSeconds: null)).Dispose();

        using var deleted = await app.Http.DeleteAsync("/api/cache/gone");
        using var read = await app.Http.GetAsync("/api/cache/gone");
        using var again = await app.Http.DeleteAsync("/api/cache/gone");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(read, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound);
        Assert.Null(await ReadRowAsync(app, "gone"));
        Assert.False(await stores.AdminRedis.GetDatabase().KeyExistsAsync(RedisKey(app, "gone")));
    }

    [Fact]
    public async Task Stats_count_hits_and_misses_in_Redis_shared_by_instances_and_kept_across_restarts()
    {
        var candidate = await stores.ProvisionAsync(DistributedCacheTemplate.Descriptor);
        await using (var first = await stores.StartAsync(candidate))
        {
            (await PutAsync(first, "a", "1", ttlSeconds: null)).Dispose();
            (await PutAsync(first, "b", "2", ttlSeconds: 300)).Dispose();
            (await first.Http.GetAsync("/api/cache/a")).Dispose();                     // hit
            (await first.Http.GetAsync("/api/cache/b")).Dispose();                     // hit
            (await first.Http.GetAsync("/api/cache/missing")).Dispose();               // miss (absent)
        }

        await using var second = await stores.StartAsync(candidate);
        await stores.AdminRedis.GetDatabase().KeyDeleteAsync(candidate.RedisPrefix + "cache:entry:a");
        (await second.Http.GetAsync("/api/cache/a")).Dispose();                        // miss (read-through)

        var stats = await second.Http.GetFromJsonAsync<JsonObject>("/api/stats");
        Assert.Equal(2, stats!["hits"]!.GetValue<long>());
        Assert.Equal(2, stats["misses"]!.GetValue<long>());
        Assert.Equal(0.5, stats["hit_ratio"]!.GetValue<double>(), precision: 6);
        Assert.Equal(2, stats["entries"]!.GetValue<long>());
    }

    [Fact]
    public async Task Stats_of_an_unused_cache_are_zero()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);

        var stats = await app.Http.GetFromJsonAsync<JsonObject>("/api/stats");

        Assert.Equal(0, stats!["hits"]!.GetValue<long>());
        Assert.Equal(0, stats["misses"]!.GetValue<long>());
        Assert.Equal(0, stats["hit_ratio"]!.GetValue<double>());
        Assert.Equal(0, stats["entries"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("a%20b", """{"value":"v"}""", "key")]
    [InlineData("a%2Fb", """{"value":"v"}""", "key")]
    [InlineData("ok", """{}""", "value")]
    [InlineData("ok", """{"value":null}""", "value")]
    [InlineData("ok", """{"value":"v","ttl_seconds":0}""", "ttl_seconds")]
    [InlineData("ok", """{"value":"v","ttl_seconds":604801}""", "ttl_seconds")]
    public async Task Invalid_writes_get_400_with_the_field_and_store_nothing(string key, string body, string field)
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);

        using var response = await app.Http.PutAsync($"/api/cache/{key}", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        var stats = await app.Http.GetFromJsonAsync<JsonObject>("/api/stats");
        Assert.Equal(0, stats!["entries"]!.GetValue<long>());
    }

    [Fact]
    public async Task Keys_of_250_url_safe_characters_and_values_of_1_MiB_are_accepted_and_more_is_refused()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        var longestKey = string.Concat(Enumerable.Repeat("aZ0-._~", 36))[..250];
        var largestValue = new string('x', 1024 * 1024);

        using var accepted = await PutAsync(app, longestKey, largestValue, ttlSeconds: 60);
        using var read = await app.Http.GetAsync($"/api/cache/{longestKey}");
        using var keyTooLong = await PutAsync(app, longestKey + "a", "v", ttlSeconds: null);
        using var valueTooLarge = await PutAsync(app, "big", largestValue + "x", ttlSeconds: null);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(largestValue, (await read.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(keyTooLong, HttpStatusCode.BadRequest, "key");
        await ProblemAssert.IsProblemAsync(valueTooLarge, HttpStatusCode.BadRequest, "value");
    }

    [Fact]
    public async Task The_default_ttl_setting_applies_to_writes_without_ttl()
    {
        var settings = new Dictionary<string, string> { [DistributedCacheTemplate.DefaultTtlSeconds.Name] = "30" };
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor, settings);

        using var put = await PutAsync(app, "k", "v", ttlSeconds: null);

        var expiresAt = (await put.Content.ReadFromJsonAsync<JsonObject>())!["expires_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task It_touches_only_keys_under_its_prefix()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);
        (await PutAsync(app, "x", "v", ttlSeconds: 60)).Dispose();
        (await app.Http.GetAsync("/api/cache/x")).Dispose();
        (await app.Http.GetAsync("/api/cache/y")).Dispose();
        (await app.Http.DeleteAsync("/api/cache/x")).Dispose();
        (await app.Http.GetAsync("/api/stats")).Dispose();

        var own = (await stores.AllRedisKeysAsync())
            .Where(key => key.StartsWith(app.Candidate.RedisPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal([app.Candidate.RedisPrefix + "cache:stats:hits", app.Candidate.RedisPrefix + "cache:stats:misses"], own);
        Assert.Empty(await stores.DeniedRedisCommandsAsync(app.Candidate));
    }

    private static Task<HttpResponseMessage> PutAsync(TemplateUnderTest app, string key, string value, int? ttlSeconds)
    {
        var body = new JsonObject { ["value"] = value };
        if (ttlSeconds is not null)
        {
            body["ttl_seconds"] = ttlSeconds;
        }

        return app.Http.PutAsJsonAsync($"/api/cache/{key}", body);
    }

    private static string CacheHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : "(none)";

    private static RedisKey RedisKey(TemplateUnderTest app, string key) => app.Candidate.RedisPrefix + "cache:entry:" + key;

    private async Task<(string Value, DateTimeOffset? ExpiresAt)?> ReadRowAsync(TemplateUnderTest app, string key)
    {
        await using var command = stores.AdminDatabase.CreateCommand(
            $"SELECT value, expires_at FROM {app.Candidate.Names.DatabaseSchema}.entries WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}
