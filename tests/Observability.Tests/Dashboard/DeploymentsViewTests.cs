using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Observability.Tests.Infrastructure;
using Sdp.Testing;

namespace Sdp.Observability.Tests.Dashboard;

/// <summary>
/// The dashboard's deployments resource, read the way the dashboard reads it (its snapshot from Aspire's
/// notification service) and its commands run the way the dashboard runs them (Aspire's command service).
/// </summary>
[Collection(ObservedPlatformCollection.Name)]
public sealed class DeploymentsViewTests(ObservedPlatformFixture platform)
{
    private const string Resource = "deployments";

    [Fact]
    public async Task The_view_shows_the_counts_the_pools_and_the_new_deployment_with_links_to_its_endpoint_and_trace()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var id = await platform.DeployAsync(timeout.Token);
        var deployment = await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}",
            ObservedPlatformFixture.Json, timeout.Token);

        // The counts come from a gauge the orchestrator refreshes every 5 s; the list from the API every poll.
        var snapshot = await WaitForSnapshotAsync(s => Number(s, "deployments.ready") >= 1
            && Text(s, "recent.01")?.StartsWith($"#{id} url_shortener, ready", StringComparison.Ordinal) == true,
            timeout.Token);

        Assert.Equal("Running", snapshot.State?.Text);
        Assert.StartsWith($"{Number(snapshot, "deployments.ready")} ready, ", Text(snapshot, CustomResourceKnownProperties.Source),
            StringComparison.Ordinal);
        foreach (var state in new[] { "queued", "provisioning", "ready", "cleaning", "deleted", "failed" })
        {
            Assert.NotNull(Number(snapshot, $"deployments.{state}"));
        }

        // The fixture's orchestrator has its pools at size 0; they are listed all the same.
        Assert.Equal("0 of 0 ready, 0 not answering, 0 building, 0 failed, 0 removing", Text(snapshot, "standby.url_shortener"));
        Assert.Contains(deployment.GetProperty("endpoint_url").GetString()!, Text(snapshot, "recent.01"), StringComparison.Ordinal);

        var endpoint = Assert.Single(snapshot.Urls, u => u.Name == $"deployment-{id}");
        Assert.Equal(deployment.GetProperty("endpoint_url").GetString(), endpoint.Url);
        Assert.False(endpoint.IsInternal);
        var trace = Assert.Single(snapshot.Urls, u => u.Name == $"trace-{id}");
        Assert.Equal(new Uri(platform.DashboardUrl, $"/traces?filters=sdp.deployment.id%3Aequals%3A{id}").ToString(), trace.Url);
        Assert.Contains(snapshot.Urls, u => u.Name == "chart-deployment-time"
            && u.Url.EndsWith("/metrics/resource/provisioner-worker?meter=Sdp&instrument=sdp.deployment.duration", StringComparison.Ordinal));

        AssertNoAdminKey(JsonSerializer.Serialize(new { snapshot.Properties, snapshot.Urls }));
    }

    [Fact]
    public async Task The_operator_commands_show_and_sweep_orphans_and_resize_a_standby_pool()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await WaitForSnapshotAsync(s => s.State?.Text == "Running", timeout.Token);

        var orphans = await ExecuteAsync("show-orphans", null, timeout.Token);
        Assert.True(orphans.Success, orphans.Message);
        Assert.Equal(CommandResultFormat.Json, orphans.Data?.Format);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(orphans.Data!.Value).RootElement.GetProperty("orphans").ValueKind);

        var sweep = await ExecuteAsync("sweep-orphans", null, timeout.Token);
        Assert.True(sweep.Success, sweep.Message);
        Assert.StartsWith("Swept", sweep.Message, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(sweep.Data!.Value).RootElement.TryGetProperty("removed", out _));

        try
        {
            var resize = await ExecuteAsync("resize-standby-pool", Inputs(("size", "1"), ("problem_type", "rate_limiter")), timeout.Token);
            Assert.True(resize.Success, resize.Message);
            Assert.StartsWith("Standby pool rate_limiter: size 1", resize.Message, StringComparison.Ordinal);
            var pools = await platform.AdminApi.GetFromJsonAsync<JsonElement>("/api/admin/standby", ObservedPlatformFixture.Json,
                timeout.Token);
            Assert.Equal(1, pools.GetProperty("pools").EnumerateArray()
                .Single(p => p.GetProperty("problem_type").GetString() == "rate_limiter").GetProperty("size").GetInt32());
            // And the view follows.
            await WaitForSnapshotAsync(s => Text(s, "standby.rate_limiter")?.Contains(" of 1 ready", StringComparison.Ordinal) == true,
                timeout.Token);

            // A refusal comes back as the command's failure, with the API's reason.
            var unknown = await ExecuteAsync("resize-standby-pool", Inputs(("size", "1"), ("problem_type", "no_such_template")), timeout.Token);
            Assert.False(unknown.Success);
            Assert.Contains("404", unknown.Message, StringComparison.Ordinal);
            Assert.Contains("url_shortener", unknown.Message, StringComparison.Ordinal);
            AssertNoAdminKey(string.Join("\n", orphans.Message, orphans.Data.Value, sweep.Message, sweep.Data.Value,
                resize.Message, resize.Data?.Value, unknown.Message));
        }
        finally
        {
            using var restore = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ExecuteAsync("resize-standby-pool", Inputs(("size", "0"), ("problem_type", "rate_limiter")), restore.Token);
        }
    }

    [Fact]
    public async Task While_the_orchestrator_is_stopped_the_view_says_it_waits_for_it_and_it_comes_back_by_itself()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await WaitForSnapshotAsync(s => s.State?.Text == "Running", timeout.Token);
        try
        {
            await platform.App.ExecuteCommandAsync("orchestrator-api", KnownResourceCommands.StopCommand, timeout.Token);
            var waiting = await WaitForSnapshotAsync(s => s.State?.Text == "Waiting for orchestrator-api", timeout.Token);
            Assert.NotNull(Text(waiting, "deployments.unavailable"));

            var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
            var refused = await commands.ExecuteCommandAsync(Resource, "show-orphans", timeout.Token);
            Assert.False(refused.Success);
        }
        finally
        {
            await platform.App.StartNewProcessAsync("orchestrator-api", KnownResourceCommands.StartCommand, timeout.Token);
        }

        await WaitForSnapshotAsync(s => s.State?.Text == "Running" && Text(s, "deployments.unavailable") is null, timeout.Token);
        await platform.App.WaitUntilAllHealthyAsync(timeout.Token);
    }

    private async Task<CustomResourceSnapshot> WaitForSnapshotAsync(Func<CustomResourceSnapshot, bool> accept,
        CancellationToken cancellationToken)
    {
        await foreach (var update in platform.App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == Resource && accept(update.Snapshot))
            {
                return update.Snapshot;
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string command, InteractionInputCollection? arguments,
        CancellationToken cancellationToken)
    {
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        return arguments is null
            ? commands.ExecuteCommandAsync(Resource, command, cancellationToken)
            : commands.ExecuteCommandAsync(Resource, command, arguments, cancellationToken);
    }

    private static InteractionInputCollection Inputs(params (string Name, string Value)[] values) =>
        new([.. values.Select(v => new InteractionInput { Name = v.Name, InputType = InputType.Text, Value = v.Value })]);

    private static string? Text(CustomResourceSnapshot snapshot, string property) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == property)?.Value is { } value
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    private static int? Number(CustomResourceSnapshot snapshot, string property) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == property)?.Value is int value ? value : null;

    private void AssertNoAdminKey(string text)
    {
        Assert.True(platform.AdminKey.Length >= 16);
        Assert.DoesNotContain(platform.AdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(platform.AdminKey[TenantKeys.SecretPrefix.Length..], text, StringComparison.Ordinal);
    }
}
