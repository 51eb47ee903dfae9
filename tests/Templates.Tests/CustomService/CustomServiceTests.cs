using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.Templates.Tests.CustomService;

/// <summary>The generic service against real, provisioned stores, serving the chat-system example spec.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class CustomServiceTests(CandidateStores stores)
{
    [Fact]
    public async Task An_item_is_created_read_replaced_listed_and_deleted()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor);

        using var created = await app.Http.PostAsJsonAsync("/api/users", new { username = "ada", display_name = "Ada L." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)item["id"]!;
        Assert.Equal($"/api/users/{id}", created.Headers.Location?.ToString());
        Assert.Equal("ada", (string?)item["username"]);
        Assert.Null(item["last_seen_at"]);

        var read = await app.Http.GetFromJsonAsync<JsonObject>($"/api/users/{id}");
        Assert.Equal(item.ToJsonString(), read!.ToJsonString());

        using var replaced = await app.Http.PutAsJsonAsync($"/api/users/{id}",
            new { username = "ada", display_name = "Ada Lovelace", last_seen_at = "2026-01-31T12:00:00.1234567+01:00" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var afterReplace = await app.Http.GetFromJsonAsync<JsonObject>($"/api/users/{id}");
        Assert.Equal("Ada Lovelace", (string?)afterReplace!["display_name"]);
        Assert.Equal("2026-01-31T11:00:00.123456Z", (string?)afterReplace["last_seen_at"]);
        Assert.Equal((string?)item["created_at"], (string?)afterReplace["created_at"]);
        Assert.Equal((await replaced.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString(), afterReplace.ToJsonString());

        var list = await app.Http.GetFromJsonAsync<JsonObject>("/api/users");
        Assert.Equal([id], list!["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Null(list["next_cursor"]);

        using var deleted = await app.Http.DeleteAsync($"/api/users/{id}");
        using var gone = await app.Http.GetAsync($"/api/users/{id}");
        using var deletedAgain = await app.Http.DeleteAsync($"/api/users/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(deletedAgain, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_bodies_are_answered_400_naming_each_field_and_store_nothing()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor);

        using var wrongTypes = await app.Http.PostAsJsonAsync("/api/messages", new
        {
            conversation_id = "not-a-uuid",
            sender_id = 42,
            body = new string('x', 4_001),
            sent_at = "yesterday",
            colour = "red",
        });
        using var missing = await app.Http.PostAsJsonAsync("/api/conversations", new { title = "t" });
        using var notJson = await app.Http.PostAsync("/api/users", new StringContent("{\"username\":", System.Text.Encoding.UTF8, "application/json"));
        using var notObject = await app.Http.PostAsJsonAsync("/api/users", new[] { 1, 2 });
        using var nul = await app.Http.PostAsJsonAsync("/api/users", new { username = "a\u0000b" });

        await ProblemAssert.IsProblemAsync(wrongTypes, HttpStatusCode.BadRequest, "conversation_id", "sender_id", "body", "sent_at", "colour");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "is_group");
        await ProblemAssert.IsProblemAsync(notJson, HttpStatusCode.BadRequest, "body");
        await ProblemAssert.IsProblemAsync(notObject, HttpStatusCode.BadRequest, "body");
        await ProblemAssert.IsProblemAsync(nul, HttpStatusCode.BadRequest, "username");
        foreach (var table in new[] { "users", "conversations", "messages" })
        {
            Assert.Equal(0, await CountAsync(app, table));
        }
    }

    [Fact]
    public async Task Pages_follow_the_cursor_through_every_item_once_in_creation_order()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await CreateAsync(app, "/api/conversations", new { title = $"c{i}", is_group = i % 2 == 0 }));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await app.Http.GetFromJsonAsync<JsonObject>("/api/conversations?limit=3" + (cursor is null ? "" : "&cursor=" + cursor)))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => (string)i!["id"]!));
            cursor = (string?)page["next_cursor"];
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        using var tooMany = await app.Http.GetAsync("/api/conversations?limit=101");
        using var badCursor = await app.Http.GetAsync("/api/conversations?cursor=abc");
        await ProblemAssert.IsProblemAsync(tooMany, HttpStatusCode.BadRequest, "limit");
        await ProblemAssert.IsProblemAsync(badCursor, HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task Indexed_fields_are_looked_up_and_other_fields_are_refused()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor);
        var conversation = Guid.NewGuid();
        var sender = Guid.NewGuid();
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await CreateAsync(app, "/api/messages",
                new { conversation_id = conversation, sender_id = sender, body = $"m{i}", sent_at = DateTimeOffset.UtcNow }));
            await CreateAsync(app, "/api/messages",
                new { conversation_id = Guid.NewGuid(), sender_id = sender, body = "other", sent_at = DateTimeOffset.UtcNow });
        }

        var found = await app.Http.GetFromJsonAsync<JsonObject>($"/api/messages?conversation_id={conversation}");
        var both = await app.Http.GetFromJsonAsync<JsonObject>($"/api/messages?conversation_id={conversation}&sender_id={Guid.NewGuid()}");
        using var notIndexed = await app.Http.GetAsync("/api/messages?body=m1");
        using var badValue = await app.Http.GetAsync("/api/messages?sender_id=1");

        Assert.Equal(mine, found!["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Empty(both!["items"]!.AsArray());
        await ProblemAssert.IsProblemAsync(notIndexed, HttpStatusCode.BadRequest, "body");
        await ProblemAssert.IsProblemAsync(badValue, HttpStatusCode.BadRequest, "sender_id");
    }

    [Fact]
    public async Task Cached_reads_stay_under_the_candidate_prefix_and_see_every_write()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor);
        var id = await CreateAsync(app, "/api/users", new { username = "grace" });

        (await app.Http.GetAsync($"/api/users/{id}")).Dispose();
        var key = app.Candidate.RedisPrefix + "users:" + Guid.Parse(id).ToString("N");
        // The cache write does not hold up the read's answer: give it a moment to land.
        var ttl = await stores.AdminRedis.GetDatabase().KeyTimeToLiveAsync(key);
        for (var wait = 0; ttl is null && wait < 40; wait++)
        {
            await Task.Delay(50);
            ttl = await stores.AdminRedis.GetDatabase().KeyTimeToLiveAsync(key);
        }

        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        (await app.Http.PutAsJsonAsync($"/api/users/{id}", new { username = "grace", display_name = "Rear Admiral" })).Dispose();
        var read = await app.Http.GetFromJsonAsync<JsonObject>($"/api/users/{id}");
        (await app.Http.DeleteAsync($"/api/users/{id}")).Dispose();
        using var afterDelete = await app.Http.GetAsync($"/api/users/{id}");

        Assert.Equal("Rear Admiral", (string?)read!["display_name"]);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Empty(await stores.DeniedRedisCommandsAsync(app.Candidate));
    }

    [Fact]
    public async Task A_rate_limited_resource_answers_429_problem_details_past_its_burst()
    {
        var spec = new ServiceSpec([new ResourceSpec("votes", [new FieldSpec("choice", "string", Required: true)],
            RateLimit: new RateLimitSpec(RequestsPerSecond: 1, Burst: 3))]);
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor, spec: spec);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 8; i++)
        {
            var response = await app.Http.PostAsJsonAsync("/api/votes", new { choice = "a" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        // The burst, plus one token for each second the bucket had to refill.
        var seconds = (int)Math.Ceiling(TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        var created = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.InRange(created, 3, 3 + seconds);
        Assert.NotNull(refused);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(created, await CountAsync(app, "votes"));
    }

    [Fact]
    public async Task The_spec_tables_and_indexes_are_in_the_candidate_own_schema_owned_by_its_role()
    {
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor, spec: ServiceSpecExamples.NewsFeed);

        await using var command = stores.AdminDatabase.CreateCommand("""
            SELECT c.relname, c.relkind::text, pg_get_userbyid(c.relowner)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 ORDER BY c.relname
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = app.Candidate.Names.DatabaseSchema });
        var relations = new List<(string Name, string Kind, string Owner)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                relations.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.Equal(["feed_items", "follows", "posts"], relations.Where(r => r.Kind == "r").Select(r => r.Name));
        Assert.Equal(4, relations.Count(r => r.Kind == "i" && r.Name.StartsWith("IX_", StringComparison.Ordinal)));
        Assert.All(relations, r => Assert.Equal(app.Candidate.Names.DatabaseRole, r.Owner));
        using var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<string> CreateAsync(TemplateUnderTest app, string path, object body)
    {
        using var response = await app.Http.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<long> CountAsync(TemplateUnderTest app, string table)
    {
        // Admin connection, schema-qualified: what is really stored, whatever the service says.
        await using var command = stores.AdminDatabase.CreateCommand(
            $"SELECT count(*) FROM \"{app.Candidate.Names.DatabaseSchema}\".{CustomSchemaSql.Quote(table)}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
