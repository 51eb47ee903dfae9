using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.DistributedCache;

/// <summary>
/// <c>distributed_cache</c>: <c>PUT /api/cache/{key} {value, ttl_seconds?}</c> → 200 <c>{key, value, expires_at}</c>;
/// <c>GET</c> → 200 with <c>X-Cache: HIT|MISS</c>, 404 when absent or expired; <c>DELETE</c> → 204/404;
/// <c>GET /api/stats</c> → <c>{hits, misses, hit_ratio, entries}</c>. Load: nine reads for every write.
/// </summary>
public sealed class DistributedCacheScenario : IScenario
{
    public string ProblemType => "distributed_cache";

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new Run(http, time);

    private sealed class Run : IScenarioRun
    {
        private const int LoadKeys = 100;
        private const int ReadsPerWrite = 9;

        /// <summary>A 1 s entry read after this is past its expiry by a margin no clock skew inside one store explains.</summary>
        private static readonly TimeSpan ExpiryWait = TimeSpan.FromSeconds(1.5);

        private readonly ScenarioHttp http;
        private readonly TimeProvider time;
        private readonly string token = RunToken.New();

        public Run(ScenarioHttp http, TimeProvider time)
        {
            this.http = http;
            this.time = time;
            Checks =
            [
                new("reads_your_writes", ReadsYourWritesAsync),
                new("overwrites_seen", OverwritesSeenAsync),
                new("delete_honoured", DeleteHonouredAsync),
                new("expiry_honoured", ExpiryHonouredAsync),
                new("stats_move", StatsMoveAsync),
            ];
        }

        public IReadOnlyList<ScenarioCheck> Checks { get; }

        private string Key(string name) => $"sdp-{token}-{name}";

        private static string Path(string key) => $"/api/cache/{Uri.EscapeDataString(key)}";

        private async Task ReadsYourWritesAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < 3; i++)
            {
                var key = Key($"ryw-{i}");
                var value = $"value {i} of {token} ✓";
                await PutAsync(key, value, ttlSeconds: null, cancellationToken);
                await ExpectValueAsync(key, value, cancellationToken);
            }

            var absent = await http.GetAsync(Path(Key("never-written")), cancellationToken);
            Expect.Status(absent, 404);
        }

        private async Task OverwritesSeenAsync(CancellationToken cancellationToken)
        {
            var key = Key("overwrite");
            await PutAsync(key, "first", ttlSeconds: null, cancellationToken);
            await ExpectValueAsync(key, "first", cancellationToken);
            await PutAsync(key, "second", ttlSeconds: null, cancellationToken);
            await ExpectValueAsync(key, "second", cancellationToken);
        }

        private async Task DeleteHonouredAsync(CancellationToken cancellationToken)
        {
            var key = Key("delete");
            await PutAsync(key, "doomed", ttlSeconds: null, cancellationToken);
            await ExpectValueAsync(key, "doomed", cancellationToken);
            Expect.Status(await http.DeleteAsync(Path(key), cancellationToken), 204);
            Expect.Status(await http.GetAsync(Path(key), cancellationToken), 404);
            Expect.Status(await http.DeleteAsync(Path(key), cancellationToken), 404);
        }

        private async Task ExpiryHonouredAsync(CancellationToken cancellationToken)
        {
            var key = Key("expiry");
            var body = await PutAsync(key, "brief", ttlSeconds: 1, cancellationToken);
            var expiresAt = Expect.Timestamp(body, "expires_at", $"PUT {Path(key)}");
            var now = time.GetUtcNow();
            Expect.True(expiresAt > now - TimeSpan.FromSeconds(5) && expiresAt < now + TimeSpan.FromSeconds(6),
                $"PUT {Path(key)} with ttl_seconds 1: expected expires_at about a second from now ({now:O}), got {expiresAt:O}");
            await ExpectValueAsync(key, "brief", cancellationToken);

            await Task.Delay(ExpiryWait, time, cancellationToken);
            var expired = await http.GetAsync(Path(key), cancellationToken);
            if (expired.Status != 404)
            {
                throw new CheckFailedException(
                    $"{expired.Request} {ExpiryWait.TotalSeconds} s after writing it with ttl_seconds 1: expected HTTP 404, got {expired.Status} with {ScenarioResponse.Excerpt(expired.Body)}");
            }
        }

        private async Task StatsMoveAsync(CancellationToken cancellationToken)
        {
            var before = await StatsAsync(cancellationToken);
            var key = Key("stats");
            await PutAsync(key, "counted", ttlSeconds: null, cancellationToken);
            await ExpectValueAsync(key, "counted", cancellationToken);
            Expect.Status(await http.GetAsync(Path(Key("stats-absent")), cancellationToken), 404);
            var after = await StatsAsync(cancellationToken);

            Expect.True(after.Hits > before.Hits, $"GET /api/stats hits after a found read: expected more than {before.Hits}, got {after.Hits}");
            Expect.True(after.Misses > before.Misses, $"GET /api/stats misses after a read of an absent key: expected more than {before.Misses}, got {after.Misses}");
            Expect.True(after.Entries >= 1, $"GET /api/stats entries with live entries written: expected at least 1, got {after.Entries}");
            Expect.True(after.HitRatio is >= 0 and <= 1, $"GET /api/stats hit_ratio: expected between 0 and 1, got {after.HitRatio}");
        }

        private async Task<(long Hits, long Misses, double HitRatio, long Entries)> StatsAsync(CancellationToken cancellationToken)
        {
            var response = Expect.Status(await http.GetAsync("/api/stats", cancellationToken), 200);
            var body = response.JsonObject();
            return (Expect.Integer(body, "hits", response.Request), Expect.Integer(body, "misses", response.Request),
                Expect.Number(body, "hit_ratio", response.Request), Expect.Integer(body, "entries", response.Request));
        }

        private async Task<JsonObject> PutAsync(string key, string value, int? ttlSeconds, CancellationToken cancellationToken)
        {
            var request = new JsonObject { ["value"] = value };
            if (ttlSeconds is { } ttl)
            {
                request["ttl_seconds"] = ttl;
            }

            var response = Expect.Status(await http.PutAsync(Path(key), request, cancellationToken), 200);
            var body = response.JsonObject();
            Expect.Equal(key, Expect.String(body, "key", response.Request), $"{response.Request} key");
            Expect.Equal(value, Expect.String(body, "value", response.Request), $"{response.Request} value");
            return body;
        }

        private async Task ExpectValueAsync(string key, string value, CancellationToken cancellationToken)
        {
            var response = Expect.Status(await http.GetAsync(Path(key), cancellationToken), 200);
            Expect.Equal(value, Expect.String(response.JsonObject(), "value", response.Request), $"{response.Request} value");
            var cache = Expect.Header(response, "X-Cache");
            Expect.True(cache is "HIT" or "MISS", $"{response.Request}: expected X-Cache HIT or MISS, got '{cache}'");
        }

        private static string LoadValue(long key) => $"load value {key}";

        public async Task PrepareLoadAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < LoadKeys; i++)
            {
                await PutAsync(Key($"load-{i}"), LoadValue(i), ttlSeconds: null, cancellationToken);
            }
        }

        public async Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken)
        {
            var keyIndex = index % LoadKeys;
            var key = Key($"load-{keyIndex}");
            if (index % (ReadsPerWrite + 1) == 0)
            {
                // Writes put back the value the key already has, so concurrent reads have one right answer.
                var written = await http.PutAsync(Path(key), new JsonObject { ["value"] = LoadValue(keyIndex) }, cancellationToken);
                return written.Status == 200 ? LoadOutcome.Ok : LoadOutcome.UnexpectedStatus(written.Status);
            }

            var read = await http.GetAsync(Path(key), cancellationToken);
            if (read.Status != 200)
            {
                // A 404 here is a lost entry: it was written without expiry before the load began.
                return read.Status == 404 ? LoadOutcome.WrongResponse : LoadOutcome.UnexpectedStatus(read.Status);
            }

            return Expect.String(read.JsonObject(), "value", read.Request) == LoadValue(keyIndex)
                ? LoadOutcome.Ok
                : LoadOutcome.WrongResponse;
        }
    }
}
