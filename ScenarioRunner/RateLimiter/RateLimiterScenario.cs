using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.RateLimiter;

/// <summary>
/// <c>rate_limiter</c>: rules at <c>/api/rules</c>, <c>POST /api/check {key, cost?, rule?}</c> → 200 allowed or 429
/// denied with <c>{allowed, limit, remaining, retry_after_seconds, rule, key}</c> and <c>X-RateLimit-*</c> headers
/// (<c>Retry-After</c> when denied). The limiter is an exact sliding window, so the counts are checked exactly.
/// Load: checks across many keys, where a 429 is an expected answer, not an error.
/// </summary>
public sealed class RateLimiterScenario : IScenario
{
    public string ProblemType => "rate_limiter";

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new Run(http);

    private sealed class Run : IScenarioRun
    {
        /// <summary>Long enough that no check's window slides while the check runs.</summary>
        private const int CheckWindowSeconds = 300;
        private const int Limit = 5;
        private const int ConcurrentLimit = 10;
        private const int LoadKeys = 200;

        private readonly ScenarioHttp http;
        private readonly string token = RunToken.New();
        private readonly string checkRule;
        private readonly string loadRule;

        public Run(ScenarioHttp http)
        {
            this.http = http;
            checkRule = $"sdp-{token}-checks";
            loadRule = $"sdp-{token}-load";
            Checks =
            [
                new("rules_crud", RulesCrudAsync),
                new("exactly_limit_allowed", ExactlyLimitAllowedAsync),
                new("remaining_counts_down", RemainingCountsDownAsync),
                new("headers_present", HeadersPresentAsync),
                new("keys_independent", KeysIndependentAsync),
                new("concurrent_checks_exact", ConcurrentChecksExactAsync),
                new("cost_honoured", CostHonouredAsync),
            ];
        }

        public IReadOnlyList<ScenarioCheck> Checks { get; }

        private string Key(string name) => $"{token}-{name}";

        private async Task RulesCrudAsync(CancellationToken cancellationToken)
        {
            var name = $"sdp-{token}-crud";
            var rule = new JsonObject { ["name"] = name, ["limit"] = 5, ["window_seconds"] = 60 };
            Expect.Status(await http.PostAsync("/api/rules", rule, cancellationToken), 201);
            Expect.Status(await http.PostAsync("/api/rules", rule.DeepClone(), cancellationToken), 409);
            await ExpectRuleAsync(name, 5, 60, cancellationToken);

            var update = new JsonObject { ["limit"] = 7, ["window_seconds"] = 30 };
            Expect.Status(await http.PutAsync($"/api/rules/{name}", update, cancellationToken), 200);
            await ExpectRuleAsync(name, 7, 30, cancellationToken);

            Expect.Status(await http.DeleteAsync($"/api/rules/{name}", cancellationToken), 204);
            Expect.Status(await http.GetAsync($"/api/rules/{name}", cancellationToken), 404);

            // The rule every later check uses.
            Expect.Status(await http.PostAsync("/api/rules",
                new JsonObject { ["name"] = checkRule, ["limit"] = Limit, ["window_seconds"] = CheckWindowSeconds }, cancellationToken), 201);
        }

        private async Task ExpectRuleAsync(string name, long limit, long windowSeconds, CancellationToken cancellationToken)
        {
            var response = Expect.Status(await http.GetAsync($"/api/rules/{name}", cancellationToken), 200);
            var body = response.JsonObject();
            Expect.Equal(name, Expect.String(body, "name", response.Request), $"{response.Request} name");
            Expect.Equal(limit, Expect.Integer(body, "limit", response.Request), $"{response.Request} limit");
            Expect.Equal(windowSeconds, Expect.Integer(body, "window_seconds", response.Request), $"{response.Request} window_seconds");
        }

        private async Task ExactlyLimitAllowedAsync(CancellationToken cancellationToken)
        {
            var key = Key("sequential");
            for (var i = 1; i <= 2 * Limit; i++)
            {
                var (response, allowed) = await CheckAsync(key, cost: null, cancellationToken);
                Expect.Equal(i <= Limit, allowed, $"check {i} of {2 * Limit} on a fresh key with limit {Limit}: allowed (HTTP {response.Status})");
            }
        }

        private async Task RemainingCountsDownAsync(CancellationToken cancellationToken)
        {
            var key = Key("countdown");
            for (var i = 1; i <= Limit + 1; i++)
            {
                var (response, _) = await CheckAsync(key, cost: null, cancellationToken);
                var body = response.JsonObject();
                Expect.Equal((long)Limit, Expect.Integer(body, "limit", response.Request), $"check {i}: limit");
                Expect.Equal((long)Math.Max(Limit - i, 0), Expect.Integer(body, "remaining", response.Request), $"check {i}: remaining");
                Expect.Equal(key, Expect.String(body, "key", response.Request), $"check {i}: key");
                Expect.Equal(checkRule, Expect.String(body, "rule", response.Request), $"check {i}: rule");
            }
        }

        private async Task HeadersPresentAsync(CancellationToken cancellationToken)
        {
            var key = Key("headers");
            var (allowed, _) = await CheckAsync(key, cost: Limit, cancellationToken);
            Expect.Equal((long)Limit, Expect.IntegerHeader(allowed, "X-RateLimit-Limit"), "X-RateLimit-Limit");
            Expect.Equal(0L, Expect.IntegerHeader(allowed, "X-RateLimit-Remaining"), "X-RateLimit-Remaining after spending the whole limit");
            Expect.Header(allowed, "X-RateLimit-Reset");

            var (denied, isAllowed) = await CheckAsync(key, cost: null, cancellationToken);
            Expect.True(!isAllowed, $"{denied.Request}: expected a denial once the limit is spent, got HTTP {denied.Status}");
            Expect.Header(denied, "X-RateLimit-Limit");
            Expect.Header(denied, "X-RateLimit-Reset");
            var retryAfter = Expect.IntegerHeader(denied, "Retry-After");
            Expect.True(retryAfter is > 0 and <= CheckWindowSeconds,
                $"Retry-After: expected between 1 and {CheckWindowSeconds} s, got {retryAfter}");
            var bodyRetryAfter = Expect.Number(denied.JsonObject(), "retry_after_seconds", denied.Request);
            Expect.True(bodyRetryAfter > 0, $"{denied.Request}: expected retry_after_seconds > 0 when denied, got {bodyRetryAfter}");
        }

        private async Task KeysIndependentAsync(CancellationToken cancellationToken)
        {
            var spent = Key("spent");
            var fresh = Key("fresh");
            await CheckAsync(spent, cost: Limit, cancellationToken);
            var (denied, deniedAllowed) = await CheckAsync(spent, cost: null, cancellationToken);
            Expect.True(!deniedAllowed, $"{denied.Request} on a spent key: expected 429, got {denied.Status}");
            var (other, otherAllowed) = await CheckAsync(fresh, cost: null, cancellationToken);
            Expect.True(otherAllowed, $"{other.Request} on another key after one key was spent: expected 200, got {other.Status}");
            Expect.Equal((long)Limit - 1, Expect.Integer(other.JsonObject(), "remaining", other.Request), "the other key's remaining");
        }

        private async Task ConcurrentChecksExactAsync(CancellationToken cancellationToken)
        {
            var rule = $"sdp-{token}-concurrent";
            Expect.Status(await http.PostAsync("/api/rules",
                new JsonObject { ["name"] = rule, ["limit"] = ConcurrentLimit, ["window_seconds"] = CheckWindowSeconds }, cancellationToken), 201);
            var key = Key("concurrent");
            var answers = await Task.WhenAll(Enumerable.Range(0, 2 * ConcurrentLimit).Select(_ =>
                http.PostAsync("/api/check", new JsonObject { ["key"] = key, ["rule"] = rule }, cancellationToken)));
            var unexpected = answers.FirstOrDefault(answer => answer.Status is not (200 or 429));
            if (unexpected is not null)
            {
                throw new CheckFailedException($"{unexpected.Request}: expected 200 or 429, got {unexpected.Status} with {ScenarioResponse.Excerpt(unexpected.Body)}");
            }

            Expect.Equal(ConcurrentLimit, answers.Count(answer => answer.Status == 200),
                $"allowed of {2 * ConcurrentLimit} concurrent checks on one key with limit {ConcurrentLimit}");
        }

        private async Task CostHonouredAsync(CancellationToken cancellationToken)
        {
            var key = Key("cost");
            var (first, firstAllowed) = await CheckAsync(key, cost: 3, cancellationToken);
            Expect.True(firstAllowed, $"{first.Request} cost 3 of {Limit}: expected allowed, got HTTP {first.Status}");
            Expect.Equal((long)Limit - 3, Expect.Integer(first.JsonObject(), "remaining", first.Request), "remaining after cost 3");

            var (second, secondAllowed) = await CheckAsync(key, cost: 3, cancellationToken);
            Expect.True(!secondAllowed, $"{second.Request} cost 3 with {Limit - 3} remaining: expected denied, got HTTP {second.Status}");

            var (third, thirdAllowed) = await CheckAsync(key, cost: 2, cancellationToken);
            Expect.True(thirdAllowed, $"{third.Request} cost 2 with 2 remaining (a denied request costs nothing): expected allowed, got HTTP {third.Status}");
            Expect.Equal(0L, Expect.Integer(third.JsonObject(), "remaining", third.Request), "remaining after cost 3 + cost 2");
        }

        /// <summary>One check against the checks' rule; 200 must say allowed, 429 denied.</summary>
        private async Task<(ScenarioResponse Response, bool Allowed)> CheckAsync(string key, int? cost, CancellationToken cancellationToken)
        {
            var request = new JsonObject { ["key"] = key, ["rule"] = checkRule };
            if (cost is { } value)
            {
                request["cost"] = value;
            }

            var response = await http.PostAsync("/api/check", request, cancellationToken);
            if (response.Status is not (200 or 429))
            {
                throw new CheckFailedException($"{response.Request}: expected 200 or 429, got {response.Status} with {ScenarioResponse.Excerpt(response.Body)}");
            }

            var allowed = Expect.Boolean(response.JsonObject(), "allowed", response.Request);
            Expect.Equal(response.Status == 200, allowed, $"{response.Request}: 'allowed' beside HTTP {response.Status}");
            return (response, allowed);
        }

        public async Task PrepareLoadAsync(CancellationToken cancellationToken)
        {
            // 10 per key per second: at a few hundred requests per second over 200 keys, some are denied, most not.
            var response = await http.PostAsync("/api/rules",
                new JsonObject { ["name"] = loadRule, ["limit"] = 10, ["window_seconds"] = 1 }, cancellationToken);
            Expect.Status(response, 201);
        }

        public async Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken)
        {
            var key = Key($"load-{index % LoadKeys}");
            var response = await http.PostAsync("/api/check", new JsonObject { ["key"] = key, ["rule"] = loadRule }, cancellationToken);
            if (response.Status is not (200 or 429))
            {
                return LoadOutcome.UnexpectedStatus(response.Status);
            }

            var body = response.JsonObject();
            return Expect.Boolean(body, "allowed", response.Request) == (response.Status == 200)
                && Expect.String(body, "key", response.Request) == key
                    ? LoadOutcome.Ok
                    : LoadOutcome.WrongResponse;
        }
    }
}
