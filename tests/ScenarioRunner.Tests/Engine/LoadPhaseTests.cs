using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>The load phase against small in-test servers: pacing, the concurrency bound, queueing, error kinds.</summary>
public sealed class LoadPhaseTests
{
    [Fact]
    public async Task Requests_go_out_at_the_requested_rate_never_ahead_of_their_time()
    {
        var arrivals = new ConcurrentDictionary<long, long>();
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) =>
        {
            arrivals[index] = Stopwatch.GetTimestamp();
            return "ok";
        }));
        const int Rate = 40;
        var before = Stopwatch.GetTimestamp();

        var report = await Runners.Create().RunAsync(new TestScenario(), server.Url.ToString(), new ScenarioLoad(Rate, 2, 4),
            new RecordingProgress(), CancellationToken.None);

        Assert.Equal(ScenarioReport.Passed, report.Outcome);
        Assert.Equal(2 * Rate, report.Load!.Requests);
        Assert.Equal(0, report.Load.Errors);
        Assert.Equal(Enumerable.Range(0, 2 * Rate).Select(i => (long)i), arrivals.Keys.Order());
        // Request i is due i / rate after the phase starts, which is after `before`: none may arrive earlier.
        foreach (var (index, arrived) in arrivals)
        {
            var due = TimeSpan.FromSeconds((double)index / Rate);
            Assert.True(Stopwatch.GetElapsedTime(before, arrived) >= due - TimeSpan.FromMilliseconds(2),
                $"request {index} arrived {Stopwatch.GetElapsedTime(before, arrived).TotalMilliseconds:0} ms after the start, due at {due.TotalMilliseconds:0} ms");
        }
    }

    [Fact]
    public async Task No_more_than_the_concurrency_are_in_flight_and_queueing_shows_in_the_latency()
    {
        var inFlight = 0;
        var mostInFlight = 0;
        var served = 0;
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", async (long index) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            await Task.Delay(200);
            Interlocked.Decrement(ref inFlight);
            Interlocked.Increment(ref served);
            return "ok";
        }));

        // 100 rps for 2 s against 3 slots of 200 ms each: at most 15 per second can be served.
        var report = await Runners.Create().RunAsync(new TestScenario(), server.Url.ToString(), new ScenarioLoad(100, 2, 3),
            new RecordingProgress(), CancellationToken.None);

        var load = report.Load!;
        Assert.True(mostInFlight <= 3, $"{mostInFlight} requests were in flight at once");
        Assert.Equal(200, load.Requests);
        var notSent = load.ErrorsByKind.GetValueOrDefault(LoadOutcome.NotSentKind);
        Assert.Equal(200 - served, notSent);
        Assert.Equal(notSent, load.Errors);
        // Request k cannot start before slot time floor(k/3)·200 ms though it was due at k·10 ms: measured from when it
        // was due, the slowest answered request waited several service times, not one.
        Assert.True(served >= 7, $"only {served} requests were served");
        Assert.True(load.LatencyP99Ms >= 500, $"p99 {load.LatencyP99Ms} ms hides the queueing behind 200 ms answers");
        Assert.True(load.LatencyP50Ms >= 200, $"p50 {load.LatencyP50Ms} ms is below the server's 200 ms");
    }

    [Fact]
    public async Task Errors_are_counted_by_kind()
    {
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", async (long index, HttpContext context) =>
        {
            switch (index % 5)
            {
                case 0:
                    return Results.StatusCode(503);
                case 1:
                    return Results.Text("not ok");
                case 2:
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                    return Results.Text("ok");
                case 3:
                    context.Abort();
                    return Results.Empty;
                default:
                    return Results.Text("ok");
            }
        }));

        // The request timeout fires only when the test releases it, after every request that answers was judged: on a
        // loaded machine a slow answer would otherwise count as a timeout instead of its own kind.
        var requestTimeout = TimeSpan.FromHours(1);
        var timeouts = new HeldTimeouts(requestTimeout);
        var run = Runners.Create(requestTimeout, time: timeouts).RunAsync(new TestScenario(), server.Url.ToString(),
            new ScenarioLoad(20, 1, 20), new RecordingProgress(), CancellationToken.None);

        // Each request disposes its timeout when it ends: 20 sent, and only the 4 hanging ones still waiting.
        await timeouts.WaitForAsync(created: 20, pending: 4, TimeSpan.FromSeconds(30));
        timeouts.FireAll();
        var report = await run;

        var load = report.Load!;
        Assert.Equal(20, load.Requests);
        Assert.Equal(new Dictionary<string, long>
        {
            ["connection"] = 4,
            ["http_503"] = 4,
            ["timeout"] = 4,
            ["wrong_response"] = 4,
        }, load.ErrorsByKind.ToDictionary());
        Assert.Equal(16, load.Errors);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
