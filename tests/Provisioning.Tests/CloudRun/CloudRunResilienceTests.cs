using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>
/// The deployment target against a Simulator that injects faults: what is retried, what waits, what fails at once.
/// A Simulator of its own, so injected faults never reach other tests; every test must leave no service behind.
/// </summary>
public sealed class CloudRunResilienceTests(SimulatorFactory simulator) : IClassFixture<SimulatorFactory>, IAsyncLifetime
{
    private readonly List<CloudRunTargetHarness> harnesses = [];

    private FaultInjector Faults => simulator.Services.GetRequiredService<FaultInjector>();

    [Fact]
    public async Task Unavailable_answers_are_retried_and_the_deploy_succeeds()
    {
        var harness = Harness();
        Faults.Set(new SimulatedFaults { Status503Count = 2, Method = "POST" });

        var deployed = await harness.Target.DeployAsync(harness.Spec(1), CancellationToken.None);

        Assert.Equal(3, harness.Counter.Creates);
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task The_hosts_standard_resilience_handler_is_replaced_on_the_cloud_run_client()
    {
        // As ServiceDefaults does for every client; its standard retry would try a 503 three more times.
        var harness = Harness(new() { ["CloudRun:MaxRetryAttempts"] = "0" },
            services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()));
        Faults.Set(new SimulatedFaults { Status503Count = 1, Method = "POST" });

        await Assert.ThrowsAsync<DeploymentTargetException>(() => harness.Target.DeployAsync(harness.Spec(12), CancellationToken.None));

        Assert.Equal(1, harness.Counter.Creates);
    }

    [Fact]
    public async Task Resource_exhausted_waits_the_back_pressure_delay_then_succeeds()
    {
        var harness = Harness(new() { ["CloudRun:BackPressureDelay"] = "00:00:00.300", ["CloudRun:MaxRetryAttempts"] = "0" });
        Faults.Set(new SimulatedFaults { Status429Count = 2, Method = "POST" });
        var started = Stopwatch.GetTimestamp();

        var deployed = await harness.Target.DeployAsync(harness.Spec(2), CancellationToken.None);

        // Two waits of the configured delay, even with ordinary retries turned off: 429 is not an error to give up on.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(600));
        Assert.Equal(3, harness.Counter.Creates);
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task Resource_exhausted_honours_retry_after()
    {
        var harness = Harness(new() { ["CloudRun:BackPressureDelay"] = "00:00:20" });
        Faults.Set(new SimulatedFaults { Status429Count = 1, RetryAfterSeconds = 1, Method = "POST" });
        var started = Stopwatch.GetTimestamp();

        var deployed = await harness.Target.DeployAsync(harness.Spec(3), CancellationToken.None);

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"{elapsed}");
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"waited the fallback delay instead of Retry-After: {elapsed}");
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_argument_is_not_retried()
    {
        var harness = Harness();

        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(4) with { ServiceId = "Bad_Id" }, CancellationToken.None));

        Assert.Equal(CloudRunApiException.InvalidArgument, Assert.IsType<CloudRunApiException>(exception.InnerException).Status);
        Assert.Equal(1, harness.Counter.Creates);
    }

    [Fact]
    public async Task Not_found_is_not_retried_and_a_delete_that_meets_it_is_done()
    {
        var harness = Harness();

        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() =>
            harness.Client.GetServiceAsync(harness.ServiceName("sdp-sub-5"), CancellationToken.None));
        Assert.Equal(CloudRunApiException.NotFound, exception.Status);
        Assert.Equal(1, harness.Counter.Count(HttpMethod.Get));

        Assert.False(await harness.Target.RemoveAsync("sdp-sub-5", CancellationToken.None));
        Assert.Equal(1, harness.Counter.Count(HttpMethod.Delete));
    }

    [Fact]
    public async Task Already_exists_is_not_retried()
    {
        var harness = Harness();
        var deployed = await harness.Target.DeployAsync(harness.Spec(6), CancellationToken.None);
        var createsBefore = harness.Counter.Creates;

        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() => harness.Client.CreateServiceAsync(
            harness.Parent, CandidateServiceDefinition.From(harness.Spec(6)), "sdp-sub-6", CancellationToken.None));

        Assert.Equal(CloudRunApiException.AlreadyExists, exception.Status);
        Assert.Equal(createsBefore + 1, harness.Counter.Creates);
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task The_breaker_opens_after_sustained_failures_fails_fast_and_later_lets_a_call_through()
    {
        var harness = Harness(new()
        {
            ["CloudRun:MaxRetryAttempts"] = "3",
            ["CloudRun:CircuitBreakerMinimumThroughput"] = "3",
            ["CloudRun:CircuitBreakerFailureRatio"] = "0.5",
            ["CloudRun:CircuitBreakerBreakDuration"] = "00:00:01",
        });
        // Count the region first, so the ceiling's list call is not what meets the open breaker.
        Assert.Empty(await harness.RemainingServicesAsync());
        Faults.Set(new SimulatedFaults { Status503Count = 1000, Method = "POST" });

        var first = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(7), CancellationToken.None));
        var attemptsBefore = harness.Counter.Total;
        var started = Stopwatch.GetTimestamp();
        var second = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(8), CancellationToken.None));

        Assert.IsType<BrokenCircuitException>(first.InnerException);
        Assert.IsType<BrokenCircuitException>(second.InnerException);
        Assert.Equal(attemptsBefore, harness.Counter.Total);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));

        // Half-open after the break: the API has recovered, so the trial call succeeds and the breaker closes.
        Faults.Clear();
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        var deployed = await harness.Target.DeployAsync(harness.Spec(8), CancellationToken.None);
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task A_create_retried_after_a_timeout_that_meets_already_exists_is_adopted()
    {
        var harness = Harness(new() { ["CloudRun:AttemptTimeout"] = "00:00:00.500" });
        // The first create takes effect but its answer comes too late: the client times out and tries again.
        Faults.Set(new SimulatedFaults { LatencyMs = 3000, LatencyCount = 1, Method = "POST" });

        var deployed = await harness.Target.DeployAsync(harness.Spec(9), CancellationToken.None);

        Assert.Equal(2, harness.Counter.Creates);
        Assert.Single(await harness.RemainingServicesAsync());
        var service = await harness.Client.GetServiceAsync(harness.ServiceName("sdp-sub-9"), CancellationToken.None);
        Assert.Equal(service.Uri, deployed.Url.ToString().TrimEnd('/'));
        Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    [Fact]
    public async Task The_deadline_ends_a_deploy_with_a_deployment_target_exception()
    {
        var harness = Harness(new()
        {
            ["CloudRun:ServiceDeadline"] = "00:00:01",
            ["CloudRun:BackPressureDelay"] = "00:00:00.200",
        });
        Faults.Set(new SimulatedFaults { Status429Count = 1000, Method = "POST" });
        var started = Stopwatch.GetTimestamp();

        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(10), CancellationToken.None));

        Assert.Contains("sdp-sub-10", exception.Message);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_failed_operation_fails_the_deploy_with_its_reason()
    {
        var harness = Harness();
        Faults.Set(new SimulatedFaults { OperationErrorCount = 1 });

        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(11), CancellationToken.None));

        Assert.Contains("injected fault", exception.Message);
        // A failed service still exists on Cloud Run; cleanup removes it like any other.
        Assert.True(await harness.Target.RemoveAsync("sdp-sub-11", CancellationToken.None));
    }

    public Task InitializeAsync()
    {
        Faults.Clear();
        return Task.CompletedTask;
    }

    /// <summary>No fault outlives its test, and no test leaves a service behind.</summary>
    public async Task DisposeAsync()
    {
        Faults.Clear();
        foreach (var harness in harnesses)
        {
            await using (harness)
            {
                await using var inspection = new CloudRunTargetHarness(simulator);
                var page = await inspection.Client.ListServicesAsync(harness.Parent, 100, null, CancellationToken.None);
                Assert.Empty(page.Services);
            }
        }
    }

    private CloudRunTargetHarness Harness(Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureHost = null)
    {
        var harness = new CloudRunTargetHarness(simulator, settings, configureHost);
        harnesses.Add(harness);
        return harness;
    }
}
