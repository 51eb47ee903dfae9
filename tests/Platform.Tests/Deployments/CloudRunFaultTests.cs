using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>
/// The whole provisioning path against a Cloud Run API that misbehaves (the Simulator's fault injection):
/// transient errors and back-pressure are ridden out, a service that cannot start fails the deployment
/// and nothing of it is left behind.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CloudRunFaultTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);
    private readonly HttpClient simulator = new() { BaseAddress = platform.SimulatorUrl };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        (await simulator.DeleteAsync("/simulator/faults")).EnsureSuccessStatusCode();
        simulator.Dispose();
    }

    [Fact]
    public async Task Unavailable_answers_to_a_create_are_retried_and_the_deployment_becomes_ready()
    {
        await InjectAsync(new { status503Count = 2, method = "POST" });

        var ready = await client.DeployReadyAsync();

        Assert.Equal(0, (await CurrentFaultsAsync()).GetProperty("status503Count").GetInt32());
        await DeleteAndConfirmGoneAsync(ready.Id);
    }

    [Fact]
    public async Task Back_pressure_from_the_api_is_waited_out()
    {
        await InjectAsync(new { status429Count = 1, retryAfterSeconds = 1, method = "POST" });

        var ready = await client.DeployReadyAsync();

        Assert.Equal(0, (await CurrentFaultsAsync()).GetProperty("status429Count").GetInt32());
        await DeleteAndConfirmGoneAsync(ready.Id);
    }

    [Fact]
    public async Task A_service_that_cannot_start_fails_the_deployment_and_leaves_nothing()
    {
        await InjectAsync(new { operationErrorCount = 1 });

        var accepted = await client.DeployAsync();
        var failed = await client.WaitForStateAsync(accepted.Id, "failed");

        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        Assert.Contains(failed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Error);
        Assert.Null(await client.GetServiceAsync(failed.Id));
        Assert.False(await probe.SchemaExistsAsync(failed.Id));
        Assert.False(await probe.RoleExistsAsync(failed.Id));
        Assert.False(await probe.RedisUserExistsAsync(failed.Id));
    }

    [Fact]
    public async Task A_service_not_ready_by_the_deadline_fails_the_deployment_and_leaves_nothing()
    {
        var tooSlow = PlatformFixture.ProvisioningDeadline + TimeSpan.FromSeconds(5);
        await InjectAsync(new { operationDelayMs = (int)tooSlow.TotalMilliseconds });

        var started = DateTimeOffset.UtcNow;
        var accepted = await client.DeployAsync();
        var failed = await client.WaitForStateAsync(accepted.Id, "failed");
        Assert.Contains("deadline", failed.Error);

        // The slow create must not come back to life once its operation would have finished.
        var operationFinished = started + tooSlow + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (operationFinished > TimeSpan.Zero)
        {
            await Task.Delay(operationFinished);
        }

        Assert.Null(await client.GetServiceAsync(failed.Id));
        Assert.False(await probe.SchemaExistsAsync(failed.Id));
        Assert.False(await probe.RoleExistsAsync(failed.Id));
        Assert.False(await probe.RedisUserExistsAsync(failed.Id));
    }

    private async Task InjectAsync(object faults) =>
        (await simulator.PostAsJsonAsync("/simulator/faults", faults)).EnsureSuccessStatusCode();

    private async Task<JsonElement> CurrentFaultsAsync() =>
        await simulator.GetFromJsonAsync<JsonElement>("/simulator/faults");

    private async Task DeleteAndConfirmGoneAsync(long id)
    {
        await client.DeleteAsync(id);
        await client.WaitForStateAsync(id, "deleted");
        Assert.Null(await client.GetServiceAsync(id));
        Assert.False(await probe.SchemaExistsAsync(id));
        Assert.False(await probe.RedisUserExistsAsync(id));
    }
}
