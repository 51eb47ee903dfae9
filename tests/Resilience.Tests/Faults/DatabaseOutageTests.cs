using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sdp.Resilience.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Resilience.Tests.Faults;

/// <summary>
/// PostgreSQL stops for a few seconds: the API answers 503 with Retry-After (never a 500, never a hang) and recovers
/// by itself once the server is back.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class DatabaseOutageTests(ResilienceFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task While_PostgreSQL_is_down_the_API_answers_503_with_Retry_After_and_recovers()
    {
        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
        var existing = await api.DeployAsync();
        var watch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(Deadline);
        var statuses = new List<(double At, HttpStatusCode Status, bool RetryAfter)>();

        // The server stops by itself (SIGINT to the postmaster: a fast shutdown, clients disconnected, transactions
        // aborted), as a crash would end it. Once Aspire has seen it end, an operator starts it again with Aspire's
        // start command, three seconds later.
        var outage = Task.Run(async () =>
        {
            Signals.Send(platform.PostmasterPid, Signals.SIGINT);
            await platform.App.ResourceNotifications.WaitForResourceAsync("postgres",
                e => e.Snapshot.HasEnded(), deadline.Token);
            await Task.Delay(TimeSpan.FromSeconds(3), deadline.Token);
            var started = await platform.App.StartNewProcessAsync("postgres", KnownResourceCommands.StartCommand, deadline.Token);
            await platform.App.WaitUntilHealthyAsync(["postgres"], checkedSince: started, deadline.Token);
        });

        // Probe reads and writes until the outage is over and the API answers again.
        var recoveredAt = (double?)null;
        var backAt = (double?)null;
        while (recoveredAt is null)
        {
            Assert.False(deadline.IsCancellationRequested, $"The API did not recover within {Deadline}; last: {statuses.LastOrDefault()}");
            var read = await ProbeAsync(() => platform.Api.GetAsync($"/api/deployments/{existing.Id}"));
            var write = await ProbeAsync(() => platform.Api.PostAsJsonAsync("/api/deployments",
                new { problem_type = "url_shortener", design_text = "probe" }));
            statuses.Add((watch.Elapsed.TotalSeconds, read.Status, read.RetryAfter));
            statuses.Add((watch.Elapsed.TotalSeconds, write.Status, write.RetryAfter));
            if (outage.IsCompleted && backAt is null)
            {
                backAt = watch.Elapsed.TotalSeconds;
            }

            if (outage.IsCompleted && read.Status == HttpStatusCode.OK && write.Status == HttpStatusCode.Accepted)
            {
                recoveredAt = watch.Elapsed.TotalSeconds;
            }

            await Task.Delay(50);
        }

        await outage;
        var unavailable = statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable).ToList();
        output.WriteLine($"PostgreSQL stopped at 0.0 s, back at {backAt:0.0} s; {statuses.Count} probes; {unavailable.Count} answered 503 between {unavailable.FirstOrDefault().At:0.0} s " +
                         $"and {unavailable.LastOrDefault().At:0.0} s; recovered at {recoveredAt:0.0} s; " +
                         $"statuses: {string.Join(", ", statuses.GroupBy(s => s.Status).Select(g => $"{(int)g.Key} {g.Count()}"))}");

        Assert.All(statuses, s => Assert.Contains(s.Status,
            new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable }));
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, s => Assert.True(s.RetryAfter, "A 503 without Retry-After."));

        // Nothing accepted around the outage is lost: every deployment the API accepted gets built.
        long[] accepted;
        platform.PlatformDatabase.Clear(); // The test's own pooled connections died with the server.
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            accepted = [.. await Dapper.SqlMapper.QueryAsync<long>(connection,
                "SELECT id FROM platform.deployments WHERE id >= @first", new { first = existing.Id })];
        }

        using var settled = new CancellationTokenSource(Deadline);
        var outcomes = await Task.WhenAll(accepted.Select(id => api.WaitForAnyAsync(id, PlatformApi.Final, settled.Token)));
        Assert.All(outcomes, o => Assert.Equal("ready", o?.State));
        foreach (var id in accepted)
        {
            await api.DeleteAsync(id);
        }

        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<(HttpStatusCode Status, bool RetryAfter)> ProbeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var task = send();
        // "No hang": every answer comes well within the client's patience.
        using var response = await task.WaitAsync(RequestTimeout);
        return (response.StatusCode, response.Headers.RetryAfter is not null);
    }
}
