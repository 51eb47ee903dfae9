using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sdp.Provisioning.CloudRun;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>Admin API writes are queued to the configured rate; time is simulated, so nothing here waits for real.</summary>
public sealed class CloudRunWritePacingTests
{
    [Theory]
    [InlineData(60, 1, 5)]
    [InlineData(60, 3, 10)]
    [InlineData(120, 2, 7)]
    public async Task N_writes_take_at_least_the_time_the_rate_allows(int writesPerMinute, int burst, int writes)
    {
        var time = new FakeTimeProvider();
        var pacer = Pacer(time, writesPerMinute, burst);

        var turns = Enumerable.Range(0, writes).Select(_ => pacer.WaitForTurnAsync("europe-west1", CancellationToken.None)).ToList();

        // A token bucket of `burst` filled at `writesPerMinute`: only the burst goes at once, and the last write can
        // go no sooner than this.
        Assert.Equal(burst, turns.Count(turn => turn.IsCompleted));
        var lowerBound = TimeSpan.FromMinutes(1) / writesPerMinute * (writes - burst);
        time.Advance(lowerBound - TimeSpan.FromMilliseconds(1));
        Assert.False(turns[^1].IsCompleted, "the last write went out sooner than the configured rate allows");

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(turns).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Regions_are_paced_apart()
    {
        var time = new FakeTimeProvider();
        var pacer = Pacer(time, writesPerMinute: 60, burst: 1);

        await pacer.WaitForTurnAsync("europe-west1", CancellationToken.None);
        var sameRegion = pacer.WaitForTurnAsync("europe-west1", CancellationToken.None);
        var otherRegion = pacer.WaitForTurnAsync("us-central1", CancellationToken.None);

        Assert.True(otherRegion.IsCompleted);
        Assert.False(sameRegion.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await sameRegion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reads_are_not_paced_and_writes_are()
    {
        var time = new FakeTimeProvider();
        using var handler = new CloudRunWritePacingHandler(Pacer(time, writesPerMinute: 60, burst: 1))
        {
            InnerHandler = new AnsweringHandler(),
        };
        using var invoker = new HttpMessageInvoker(handler);
        const string Services = "http://run/v2/projects/p/locations/europe-west1/services";

        using var firstCreate = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, Services + "?serviceId=a"), CancellationToken.None);
        var secondDelete = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Delete, Services + "/a"), CancellationToken.None);
        using var get = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Services + "/a"), CancellationToken.None);
        using var wait = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post,
            "http://run/v2/projects/p/locations/europe-west1/operations/op:wait"), CancellationToken.None);

        Assert.False(secondDelete.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        using var deleted = await secondDelete.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static CloudRunWritePacer Pacer(TimeProvider time, int writesPerMinute, int burst) => new(
        Options.Create(new CloudRunOptions { WritesPerMinute = writesPerMinute, WriteBurst = burst }),
        time,
        NullLogger<CloudRunWritePacer>.Instance);

    private sealed class AnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}
