using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Sdp.Templates.Notifications;
using Sdp.Templates.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Notifications;

[Collection(CandidateStoresCollection.Name)]
public sealed class NotificationsTests(CandidateStores stores)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_notification_is_accepted_queued_and_then_delivered()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        using var response = await app.Http.PostAsJsonAsync("/api/notifications", new { user_id = "u1", channel = "sms", message = "hi" });
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/notifications/{accepted.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("u1", accepted["user_id"]!.GetValue<string>());
        Assert.Equal("sms", accepted["channel"]!.GetValue<string>());
        Assert.Equal("hi", accepted["message"]!.GetValue<string>());
        Assert.Equal("queued", accepted["status"]!.GetValue<string>());
        Assert.Equal(1, accepted.Sequence());
        Assert.NotNull(accepted["created_at"]);
        Assert.True(accepted.ContainsKey("delivered_at"));
        Assert.Null(accepted["delivered_at"]);

        var delivered = await app.Http.WaitUntilDeliveredAsync(accepted.Id());
        Assert.True(delivered["delivered_at"]!.GetValue<DateTimeOffset>() >= accepted["created_at"]!.GetValue<DateTimeOffset>().AddSeconds(-1));
    }

    [Theory]
    [InlineData("""{"channel":"email","message":"m"}""", "user_id")]
    [InlineData("""{"user_id":"has space","channel":"email","message":"m"}""", "user_id")]
    [InlineData("""{"user_id":"u","channel":"fax","message":"m"}""", "channel")]
    [InlineData("""{"user_id":"u","message":"m"}""", "channel")]
    [InlineData("""{"user_id":"u","channel":"push","message":""}""", "message")]
    [InlineData("""{"user_id":"u","channel":"push"}""", "message")]
    public async Task Invalid_notifications_get_400_with_the_field_and_create_nothing(string body, string field)
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        using var response = await app.Http.PostAsync("/api/notifications", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Empty(await app.Http.ListAsync("u"));
    }

    [Fact]
    public async Task Limits_of_64_character_user_ids_and_4000_character_messages_hold()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);
        var userId = new string('U', 64);

        await app.Http.CreateNotificationAsync(userId, new string('m', 4000), "in_app");
        using var tooLong = await app.Http.PostAsJsonAsync("/api/notifications",
            new { user_id = userId, channel = "in_app", message = new string('m', 4001) });
        using var userTooLong = await app.Http.PostAsJsonAsync("/api/notifications",
            new { user_id = userId + "U", channel = "in_app", message = "m" });

        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "message");
        await ProblemAssert.IsProblemAsync(userTooLong, HttpStatusCode.BadRequest, "user_id");
        Assert.Single(await app.Http.ListAsync(userId));
    }

    [Fact]
    public async Task Sequences_count_up_per_user_and_the_list_is_in_sequence_order()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        var a1 = await app.Http.CreateNotificationAsync("alice", "a1");
        var b1 = await app.Http.CreateNotificationAsync("bob", "b1");
        var a2 = await app.Http.CreateNotificationAsync("alice", "a2");
        var a3 = await app.Http.CreateNotificationAsync("alice", "a3");

        Assert.Equal([1, 1, 2, 3], new[] { a1, b1, a2, a3 }.Select(n => n.Sequence()));
        var alice = await app.Http.ListAsync("alice");
        Assert.Equal(["a1", "a2", "a3"], alice.Select(n => n["message"]!.GetValue<string>()));
        Assert.Equal([1, 2], (await app.Http.ListAsync("alice", limit: 2)).Select(n => n.Sequence()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("abc")]
    public async Task An_invalid_list_limit_gets_400(string limit)
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        using var response = await app.Http.GetAsync($"/api/users/u1/notifications?limit={limit}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "limit");
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-a-number")]
    public async Task An_unknown_notification_gets_404(string id)
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        using var response = await app.Http.GetAsync($"/api/notifications/{id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_event_stream_sends_each_later_notification_of_its_user_once_in_order()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);
        var before = await app.Http.CreateNotificationAsync("carol", "before connecting");
        await app.Http.WaitUntilDeliveredAsync(before.Id());

        await using var stream = await EventStreamClient.OpenAsync(app.Http, "/api/users/carol/notifications/stream", EventTimeout);
        var created = new List<JsonObject>();
        for (var i = 0; i < 10; i++)
        {
            created.Add(await app.Http.CreateNotificationAsync("carol", $"m{i}"));
            await app.Http.CreateNotificationAsync("dave", $"not for carol {i}");
        }

        var events = new List<ServerSentEvent>();
        for (var i = 0; i < 10; i++)
        {
            events.Add((await stream.NextEventAsync(EventTimeout))!);
        }

        Assert.Equal("text/event-stream", stream.MediaType);
        Assert.All(events, e => Assert.Equal("notification", e.Event));
        Assert.Equal(created.Select(n => n.Id().ToString()), events.Select(e => e.Id));
        var data = events.Select(e => JsonNode.Parse(e.Data)!.AsObject()).ToList();
        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), data.Select(n => n.Sequence()));
        Assert.All(data, n => Assert.Equal("delivered", n["status"]!.GetValue<string>()));
        Assert.All(data, n => Assert.Equal("carol", n["user_id"]!.GetValue<string>()));
        Assert.All(data, n => Assert.NotNull(n["delivered_at"]));
    }

    [Fact]
    public async Task Two_instances_share_delivery_and_keep_each_users_order()
    {
        var candidate = await stores.ProvisionAsync(NotificationsTemplate.Descriptor);
        await using var first = await stores.StartAsync(candidate);
        await using var second = await stores.StartAsync(candidate);
        (await second.Http.GetAsync("/health")).Dispose();
        await using var stream = await EventStreamClient.OpenAsync(first.Http, "/api/users/erin/notifications/stream", EventTimeout);

        // Created concurrently through both instances: sequence order is whatever order they commit in.
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            (i % 2 == 0 ? first : second).Http.CreateNotificationAsync("erin", $"m{i}")));

        var sequences = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            sequences.Add(JsonNode.Parse((await stream.NextEventAsync(EventTimeout))!.Data)!.AsObject().Sequence());
        }

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), sequences);
        var listed = await first.Http.ListAsync("erin");
        Assert.All(listed, n => Assert.Equal("delivered", n["status"]!.GetValue<string>()));
        var deliveredAt = listed.Select(n => n["delivered_at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(deliveredAt.Order(), deliveredAt);
    }

    [Fact]
    public async Task A_stream_entry_delivered_again_publishes_nothing_and_changes_nothing()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);
        var notification = await app.Http.CreateNotificationAsync("frank", "once");
        var delivered = await app.Http.WaitUntilDeliveredAsync(notification.Id());
        var published = await SubscribeAsync(app.Candidate, "frank");

        await stores.AdminRedis.GetDatabase().StreamAddAsync(StreamKey(app.Candidate), "id", notification.Id());
        await WaitUntilStreamDrainedAsync(app.Candidate);

        var after = (await app.Http.GetFromJsonAsync<JsonObject>($"/api/notifications/{notification.Id()}"))!;
        Assert.Equal(delivered["delivered_at"]!.GetValue<DateTimeOffset>(), after["delivered_at"]!.GetValue<DateTimeOffset>());
        await AssertNothingPublishedAsync(published);
    }

    [Fact]
    public async Task An_entry_taken_by_a_crashed_consumer_is_reclaimed_and_delivered_once()
    {
        var candidate = await stores.ProvisionAsync(NotificationsTemplate.Descriptor, FastReclaim);
        var id = await InsertQueuedAsync(candidate, "gina", createdAgo: TimeSpan.Zero);
        await TakeAsCrashedConsumerAsync(candidate, id);
        var published = await SubscribeAsync(candidate, "gina");

        await using var app = await stores.StartAsync(candidate);
        await using var stream = await EventStreamClient.OpenAsync(app.Http, "/api/users/gina/notifications/stream", EventTimeout);
        var delivered = await app.Http.WaitUntilDeliveredAsync(id);
        await WaitUntilStreamDrainedAsync(candidate);

        Assert.Equal(id.ToString(), (await stream.NextEventAsync(EventTimeout))!.Id);
        Assert.Equal("delivered", delivered["status"]!.GetValue<string>());
        Assert.Equal(id, (await NextPublishedAsync(published)).Id());
        await AssertNothingPublishedAsync(published);
    }

    [Fact]
    public async Task An_entry_whose_consumer_crashed_after_delivering_is_acknowledged_without_delivering_again()
    {
        var candidate = await stores.ProvisionAsync(NotificationsTemplate.Descriptor, FastReclaim);
        var id = await InsertQueuedAsync(candidate, "hank", createdAgo: TimeSpan.Zero);
        await TakeAsCrashedConsumerAsync(candidate, id);
        var deliveredAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await ExecuteAsync($"UPDATE {candidate.Names.DatabaseSchema}.notifications SET status = 'delivered', delivered_at = $1, published = true WHERE id = $2",
            deliveredAt.UtcDateTime, id);
        var published = await SubscribeAsync(candidate, "hank");

        await using var app = await stores.StartAsync(candidate);
        (await app.Http.GetAsync("/health")).Dispose();
        await WaitUntilStreamDrainedAsync(candidate);

        var after = (await app.Http.GetFromJsonAsync<JsonObject>($"/api/notifications/{id}"))!;
        Assert.Equal(deliveredAt.ToUnixTimeMilliseconds(), after["delivered_at"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        await AssertNothingPublishedAsync(published);
    }

    [Fact]
    public async Task An_entry_whose_consumer_crashed_between_marking_and_publishing_is_published_once()
    {
        var candidate = await stores.ProvisionAsync(NotificationsTemplate.Descriptor, FastReclaim);
        var id = await InsertQueuedAsync(candidate, "iris", createdAgo: TimeSpan.Zero);
        await TakeAsCrashedConsumerAsync(candidate, id);
        var deliveredAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await ExecuteAsync($"UPDATE {candidate.Names.DatabaseSchema}.notifications SET status = 'delivered', delivered_at = $1 WHERE id = $2",
            deliveredAt.UtcDateTime, id);
        var published = await SubscribeAsync(candidate, "iris");

        await using var app = await stores.StartAsync(candidate);
        (await app.Http.GetAsync("/health")).Dispose();
        await WaitUntilStreamDrainedAsync(candidate);

        var message = await NextPublishedAsync(published);
        Assert.Equal(id, message.Id());
        Assert.Equal(deliveredAt.ToUnixTimeMilliseconds(), message["delivered_at"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        await AssertNothingPublishedAsync(published);
    }

    [Fact]
    public async Task A_notification_saved_without_a_stream_entry_is_queued_again_and_delivered()
    {
        var candidate = await stores.ProvisionAsync(NotificationsTemplate.Descriptor, FastReclaim);
        var id = await InsertQueuedAsync(candidate, "ivy", createdAgo: TimeSpan.FromSeconds(10));

        await using var app = await stores.StartAsync(candidate);
        (await app.Http.GetAsync("/health")).Dispose();

        Assert.Equal("delivered", (await app.Http.WaitUntilDeliveredAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_event_stream_sends_heartbeats_and_ends_when_the_app_stops()
    {
        var settings = new Dictionary<string, string> { [NotificationsTemplate.HeartbeatSeconds.Name] = "1" };
        var app = await stores.StartAsync(NotificationsTemplate.Descriptor, settings);
        await using var stream = await EventStreamClient.OpenAsync(app.Http, "/api/users/jo/notifications/stream", EventTimeout);
        try
        {
            await stream.WaitForCommentAsync("heartbeat", TimeSpan.FromSeconds(5));
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.Empty(await stream.ReadToEndAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task It_touches_only_keys_under_its_prefix()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);
        await using (var stream = await EventStreamClient.OpenAsync(app.Http, "/api/users/kim/notifications/stream", EventTimeout))
        {
            await app.Http.CreateNotificationAsync("kim", "m");
            Assert.NotNull(await stream.NextEventAsync(EventTimeout));
        }

        var own = (await stores.AllRedisKeysAsync())
            .Where(key => key.StartsWith(app.Candidate.RedisPrefix, StringComparison.Ordinal))
            .ToList();
        Assert.Equal([app.Candidate.RedisPrefix + "notifications:queue"], own);
        Assert.Empty(await stores.DeniedRedisCommandsAsync(app.Candidate));
    }

    private static readonly Dictionary<string, string> FastReclaim = new()
    {
        [NotificationsTemplate.ReclaimAfterSeconds.Name] = "1",
    };

    private static RedisKey StreamKey(ProvisionedCandidate candidate) => candidate.RedisPrefix + "notifications:queue";

    private async Task<ChannelMessageQueue> SubscribeAsync(ProvisionedCandidate candidate, string userId) =>
        await stores.AdminRedis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(candidate.RedisPrefix + "user:" + userId));

    private static async Task<JsonObject> NextPublishedAsync(ChannelMessageQueue published)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        return JsonNode.Parse((string)(await published.ReadAsync(timeout.Token)).Message!)!.AsObject();
    }

    /// <summary>Whatever is still to be published would have been within this grace period after the stream drained.</summary>
    private static async Task AssertNothingPublishedAsync(ChannelMessageQueue published)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(published.TryRead(out var extra), $"Published again: {extra.Message}");
        await published.UnsubscribeAsync();
    }

    /// <summary>Entries leave the stream once delivered and acknowledged.</summary>
    private async Task WaitUntilStreamDrainedAsync(ProvisionedCandidate candidate)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (await stores.AdminRedis.GetDatabase().StreamLengthAsync(StreamKey(candidate)) > 0)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "The stream did not drain within 10 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>A queued notification written as the app's create would have (its row and the user's sequence).</summary>
    private async Task<long> InsertQueuedAsync(ProvisionedCandidate candidate, string userId, TimeSpan createdAgo)
    {
        var schema = candidate.Names.DatabaseSchema;
        await using var command = stores.AdminDatabase.CreateCommand($"""
            WITH next AS (
                INSERT INTO {schema}.user_sequences AS s (user_id, last_sequence) VALUES ($1, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_sequence = s.last_sequence + 1
                RETURNING last_sequence)
            INSERT INTO {schema}.notifications (user_id, channel, message, sequence, created_at)
            SELECT $1, 'email', 'from the past', last_sequence, now() - $2 FROM next
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = createdAgo });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Queues the id and takes it with a consumer that then never acknowledges: a crash after XREADGROUP.</summary>
    private async Task TakeAsCrashedConsumerAsync(ProvisionedCandidate candidate, long id)
    {
        var redis = stores.AdminRedis.GetDatabase();
        await redis.StreamCreateConsumerGroupAsync(StreamKey(candidate), "delivery", StreamPosition.Beginning, createStream: true);
        await redis.StreamAddAsync(StreamKey(candidate), "id", id);
        var taken = await redis.StreamReadGroupAsync(StreamKey(candidate), "delivery", "crashed", StreamPosition.NewMessages, 10);
        Assert.Single(taken);
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = stores.AdminDatabase.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
