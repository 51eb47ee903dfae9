using System.Text.Json;
using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Notifications;

/// <summary>
/// <c>notification_system</c>: <c>POST /api/notifications {user_id, channel, message}</c> → 202 with
/// <c>{id, user_id, channel, message, status, sequence, created_at, delivered_at}</c>; per-user lists in sequence
/// order; a per-user server-sent event stream with one <c>notification</c> event per notification delivered after
/// connecting. The stream check opens every user's stream first, sends, then waits a bounded time for the events.
/// Load: sends across users.
/// </summary>
public sealed class NotificationScenario : IScenario
{
    public string ProblemType => "notification_system";

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new Run(http, time);

    private sealed class Run : IScenarioRun
    {
        private const int Users = 3;
        private const int PerUser = 5;
        private const int LoadUsers = 50;
        private static readonly string[] Channels = ["email", "sms", "push", "in_app"];

        /// <summary>How long every expected event may take to arrive, and delivery to be recorded.</summary>
        private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(10);

        /// <summary>How long the streams stay open after the last expected event, to catch duplicates.</summary>
        private static readonly TimeSpan DuplicateWatch = TimeSpan.FromMilliseconds(500);

        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

        private readonly ScenarioHttp http;
        private readonly TimeProvider time;
        private readonly string token = RunToken.New();
        private readonly Dictionary<string, List<string>> sentIds = new(StringComparer.Ordinal);

        public Run(ScenarioHttp http, TimeProvider time)
        {
            this.http = http;
            this.time = time;
            Checks =
            [
                new("invalid_notifications_rejected", InvalidNotificationsRejectedAsync),
                new("stream_delivers_each_once_in_order", StreamDeliversEachOnceInOrderAsync),
                new("status_becomes_delivered", StatusBecomesDeliveredAsync),
                new("list_in_sequence_order", ListInSequenceOrderAsync),
            ];
        }

        public IReadOnlyList<ScenarioCheck> Checks { get; }

        private string User(string name) => $"sdp-{token}-{name}";

        private static string StreamPath(string user) => $"/api/users/{Uri.EscapeDataString(user)}/notifications/stream";

        private async Task InvalidNotificationsRejectedAsync(CancellationToken cancellationToken)
        {
            var user = User("invalid");
            JsonObject[] invalid =
            [
                new() { ["user_id"] = user, ["channel"] = "pigeon", ["message"] = "hello" },
                new() { ["user_id"] = user, ["channel"] = "email" },
                new() { ["channel"] = "email", ["message"] = "hello" },
            ];
            foreach (var body in invalid)
            {
                var response = await http.PostAsync("/api/notifications", body, cancellationToken);
                if (response.Status != 400)
                {
                    throw new CheckFailedException(
                        $"{response.Request} {body.ToJsonString()}: expected HTTP 400, got {response.Status} with {ScenarioResponse.Excerpt(response.Body)}");
                }
            }

            var list = Expect.Status(await http.GetAsync($"/api/users/{Uri.EscapeDataString(user)}/notifications", cancellationToken), 200);
            var items = Expect.Array(list.JsonObject(), "items", list.Request);
            Expect.Equal(0, items.Count, $"{list.Request}: notifications after only invalid sends");
        }

        private async Task StreamDeliversEachOnceInOrderAsync(CancellationToken cancellationToken)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var users = Enumerable.Range(0, Users).Select(i => User($"user{i}")).ToArray();
            var streams = new List<(string User, HttpResponseMessage Response, Task<List<ServerSentEvent>> Events)>();
            try
            {
                foreach (var user in users)
                {
                    var response = await http.OpenStreamAsync(StreamPath(user), "text/event-stream", cancellationToken);
                    streams.Add((user, response, Task.FromResult(new List<ServerSentEvent>())));
                    if ((int)response.StatusCode != 200)
                    {
                        throw new CheckFailedException($"GET {StreamPath(user)}: expected HTTP 200, got {(int)response.StatusCode}");
                    }

                    var mediaType = response.Content.Headers.ContentType?.MediaType;
                    Expect.Equal("text/event-stream", mediaType, $"GET {StreamPath(user)} Content-Type");
                }

                var expected = users.ToDictionary(user => user, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                for (var i = 0; i < streams.Count; i++)
                {
                    var (user, response, _) = streams[i];
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    streams[i] = (user, response, CollectAsync(stream, expected[user], wait.Token));
                }

                // Per user in order; users interleaved, as independent senders would be.
                for (var n = 0; n < PerUser; n++)
                {
                    foreach (var user in users)
                    {
                        var sent = await SendAsync(user, Channels[n % Channels.Length], $"message {n} for {user}", cancellationToken);
                        sentIds.TryAdd(user, []);
                        sentIds[user].Add(Expect.Id(sent, "id", "POST /api/notifications"));
                    }
                }

                var allArrived = Task.WhenAll(expected.Values.Select(arrival => arrival.Task));
                var deadline = Task.Delay(DeliveryWait, time, cancellationToken);
                if (await Task.WhenAny(allArrived, deadline) == allArrived)
                {
                    await Task.Delay(DuplicateWatch, time, cancellationToken);
                }

                await wait.CancelAsync();
                foreach (var (user, _, events) in streams)
                {
                    Compare(user, await events);
                }
            }
            finally
            {
                await wait.CancelAsync();
                foreach (var (_, response, events) in streams)
                {
                    response.Dispose();
                    await events.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }

        /// <summary>Reads notification events until cancelled or the stream ends; signals once PerUser have arrived.</summary>
        private static async Task<List<ServerSentEvent>> CollectAsync(Stream stream, TaskCompletionSource arrived, CancellationToken cancellationToken)
        {
            var events = new List<ServerSentEvent>();
            try
            {
                await foreach (var item in ServerSentEventReader.ReadAsync(stream, cancellationToken))
                {
                    if (item.Event != "notification")
                    {
                        continue;
                    }

                    events.Add(item);
                    if (events.Count >= PerUser)
                    {
                        arrived.TrySetResult();
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
            {
                // Stopped watching, or the deployment closed the stream: judged by what arrived.
            }

            return events;
        }

        private void Compare(string user, List<ServerSentEvent> events)
        {
            var expected = sentIds.GetValueOrDefault(user) ?? [];
            var received = new List<string>();
            long previousSequence = long.MinValue;
            foreach (var item in events)
            {
                JsonObject data;
                try
                {
                    data = JsonNode.Parse(item.Data) as JsonObject ?? throw new CheckFailedException($"stream of {user}: an event's data is not a JSON object: '{item.Data}'");
                }
                catch (JsonException)
                {
                    throw new CheckFailedException($"stream of {user}: an event's data is not JSON: '{item.Data}'");
                }

                var id = Expect.Id(data, "id", $"stream of {user}");
                Expect.Equal(user, Expect.String(data, "user_id", $"stream of {user}"), $"stream of {user}: user_id of notification {id}");
                if (item.Id is not null)
                {
                    Expect.Equal(id, item.Id, $"stream of {user}: the event's id: line beside data.id");
                }

                Expect.True(!received.Contains(id, StringComparer.Ordinal), $"stream of {user}: notification {id} delivered more than once");
                var sequence = Expect.Integer(data, "sequence", $"stream of {user}");
                Expect.True(sequence > previousSequence,
                    $"stream of {user}: sequence {sequence} of notification {id} arrived after sequence {previousSequence}");
                previousSequence = sequence;
                received.Add(id);
            }

            var duplicates = received.GroupBy(id => id, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
            Expect.True(duplicates.Count == 0, $"stream of {user}: notifications delivered more than once: {string.Join(", ", duplicates)}");
            var missing = expected.Except(received, StringComparer.Ordinal).ToList();
            Expect.True(missing.Count == 0,
                $"stream of {user}: expected {expected.Count} notifications within {DeliveryWait.TotalSeconds:0} s, got {received.Count}; missing {string.Join(", ", missing)}");
            Expect.True(received.SequenceEqual(expected, StringComparer.Ordinal),
                $"stream of {user}: expected ids in the order sent [{string.Join(", ", expected)}], got [{string.Join(", ", received)}]");
        }

        private async Task StatusBecomesDeliveredAsync(CancellationToken cancellationToken)
        {
            Expect.True(sentIds.Count > 0, "no notification was sent by the earlier check, so none can be looked up");
            var start = time.GetTimestamp();
            foreach (var (user, ids) in sentIds)
            {
                foreach (var id in ids)
                {
                    while (true)
                    {
                        var response = Expect.Status(await http.GetAsync($"/api/notifications/{Uri.EscapeDataString(id)}", cancellationToken), 200);
                        var body = response.JsonObject();
                        Expect.Equal(id, Expect.Id(body, "id", response.Request), $"{response.Request} id");
                        Expect.Equal(user, Expect.String(body, "user_id", response.Request), $"{response.Request} user_id");
                        var status = Expect.String(body, "status", response.Request);
                        if (status == "delivered")
                        {
                            Expect.Timestamp(body, "delivered_at", response.Request);
                            break;
                        }

                        if (time.GetElapsedTime(start) > DeliveryWait)
                        {
                            throw new CheckFailedException(
                                $"{response.Request}: expected status 'delivered' within {DeliveryWait.TotalSeconds:0} s, still '{status}'");
                        }

                        await Task.Delay(PollInterval, time, cancellationToken);
                    }
                }
            }
        }

        private async Task ListInSequenceOrderAsync(CancellationToken cancellationToken)
        {
            Expect.True(sentIds.Count > 0, "no notification was sent by the earlier check, so there is no list to read");
            foreach (var (user, ids) in sentIds)
            {
                var response = Expect.Status(await http.GetAsync($"/api/users/{Uri.EscapeDataString(user)}/notifications", cancellationToken), 200);
                var items = Expect.Array(response.JsonObject(), "items", response.Request);
                var listed = new List<string>();
                long previousSequence = long.MinValue;
                foreach (var item in items)
                {
                    var entry = item as JsonObject ?? throw new CheckFailedException($"{response.Request}: an item is not an object: {item?.ToJsonString()}");
                    var sequence = Expect.Integer(entry, "sequence", response.Request);
                    Expect.True(sequence > previousSequence, $"{response.Request}: sequence {sequence} listed after {previousSequence}");
                    previousSequence = sequence;
                    listed.Add(Expect.Id(entry, "id", response.Request));
                }

                Expect.True(listed.SequenceEqual(ids, StringComparer.Ordinal),
                    $"{response.Request}: expected ids [{string.Join(", ", ids)}] in the order sent, got [{string.Join(", ", listed)}]");
            }
        }

        private async Task<JsonObject> SendAsync(string user, string channel, string message, CancellationToken cancellationToken)
        {
            var response = Expect.Status(await http.PostAsync("/api/notifications",
                new JsonObject { ["user_id"] = user, ["channel"] = channel, ["message"] = message }, cancellationToken), 202);
            var body = response.JsonObject();
            Expect.Equal(user, Expect.String(body, "user_id", response.Request), $"{response.Request} user_id");
            Expect.Equal(channel, Expect.String(body, "channel", response.Request), $"{response.Request} channel");
            Expect.Equal(message, Expect.String(body, "message", response.Request), $"{response.Request} message");
            Expect.Integer(body, "sequence", response.Request);
            return body;
        }

        public Task PrepareLoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken)
        {
            var user = User($"load-{index % LoadUsers}");
            var message = $"load message {index}";
            var response = await http.PostAsync("/api/notifications",
                new JsonObject { ["user_id"] = user, ["channel"] = Channels[index % Channels.Length], ["message"] = message }, cancellationToken);
            if (response.Status != 202)
            {
                return LoadOutcome.UnexpectedStatus(response.Status);
            }

            var body = response.JsonObject();
            return Expect.String(body, "user_id", response.Request) == user && Expect.Id(body, "id", response.Request).Length > 0
                ? LoadOutcome.Ok
                : LoadOutcome.WrongResponse;
        }
    }
}
