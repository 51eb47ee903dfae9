extern alias orchestrator;

using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.Platform.Tests.Infrastructure;
using orchestrator::Sdp.Orchestrator.Api.Retention;

namespace Sdp.Platform.Tests.Retention;

/// <summary>
/// The retention purge, run against the platform's database: finished deployments and old scenario reports go,
/// live and recent ones stay. Old rows are written directly with the times the test needs.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RetentionPurgeTests(PlatformFixture platform)
{
    private static readonly RetentionOptions Defaults = new();
    private readonly PlatformClient client = new(platform);

    [Fact]
    public async Task Old_deleted_and_failed_deployments_and_old_reports_go_while_live_and_recent_ones_stay()
    {
        var now = DateTimeOffset.UtcNow;
        var old = now - Defaults.DeploymentHistory - TimeSpan.FromDays(1);
        var oldDeleted = await InsertDeploymentAsync("deleted", old);
        var oldDeletedRun = await InsertCompletedRunAsync(oldDeleted, now - TimeSpan.FromDays(1));
        var oldFailed = await InsertDeploymentAsync("failed", old);
        var recentDeleted = await InsertDeploymentAsync("deleted", now - TimeSpan.FromDays(1));
        var recentDeletedRun = await InsertCompletedRunAsync(recentDeleted, now - TimeSpan.FromDays(1));

        // A live deployment untouched for longer than the history is kept, whatever its age; its old report is not.
        var live = await client.DeployReadyAsync();
        await BackdateAsync(live.Id, old);
        var oldReport = await InsertCompletedRunAsync(live.Id, now - Defaults.ScenarioReports - TimeSpan.FromDays(1));
        var recentReport = await InsertCompletedRunAsync(live.Id, now - TimeSpan.FromDays(1));

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var purge = new RetentionPurge(platform.PlatformDatabase,
            new RetentionMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            Options.Create(new RetentionOptions()), TimeProvider.System, NullLogger<RetentionPurge>.Instance);

        var result = await purge.RunAsync(CancellationToken.None);

        Assert.NotNull(result);
        Assert.True(result.Deployments >= 2, $"removed {result.Deployments} deployments");
        Assert.True(result.ScenarioRuns >= 2, $"removed {result.ScenarioRuns} scenario runs");
        Assert.Equal([recentDeleted, live.Id],
            await ExistingAsync("deployments", [oldDeleted, oldFailed, recentDeleted, live.Id]));
        Assert.Equal([recentDeletedRun, recentReport],
            await ExistingAsync("scenario_runs", [oldDeletedRun, recentDeletedRun, oldReport, recentReport]));
        Assert.Equal("ready", (await client.GetAsync(live.Id)).State);

        await client.DeleteAsync(live.Id);
        await client.WaitForStateAsync(live.Id, "deleted");
    }

    [Fact]
    public async Task One_replica_purges_at_a_time()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)",
            new { key = RetentionPurge.PurgeLock }));
        try
        {
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var purge = new RetentionPurge(platform.PlatformDatabase,
                new RetentionMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
                Options.Create(new RetentionOptions()), TimeProvider.System, NullLogger<RetentionPurge>.Instance);

            Assert.Null(await purge.RunAsync(CancellationToken.None));
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = RetentionPurge.PurgeLock });
        }
    }

    private async Task<long> InsertDeploymentAsync(string state, DateTimeOffset changedAt)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at,
                                              updated_at, expires_at, deleted_at, failed_at)
            VALUES (@tenant, 'url_shortener', 'retention test', @state, @changedAt, @changedAt, @changedAt, @changedAt,
                    CASE WHEN @state = 'deleted' THEN @changedAt END, CASE WHEN @state = 'failed' THEN @changedAt END)
            RETURNING id
            """, new { state, changedAt, tenant = platform.TenantId });
    }

    private async Task BackdateAsync(long id, DateTimeOffset changedAt)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE platform.deployments SET created_at = @changedAt, updated_at = @changedAt WHERE id = @id",
            new { id, changedAt });
    }

    private async Task<long> InsertCompletedRunAsync(long deploymentId, DateTimeOffset completedAt)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO platform.scenario_runs (deployment_id, tenant_id, problem_type, state, requests_per_second,
                                                duration_seconds, concurrency, cleanup_after_test, outcome, report,
                                                created_at, started_at, completed_at)
            VALUES (@deploymentId, (SELECT tenant_id FROM platform.deployments WHERE id = @deploymentId), 'url_shortener', 'completed', 10, 1, 1, false, 'passed', '{}'::jsonb, @completedAt,
                    @completedAt, @completedAt)
            RETURNING id
            """, new { deploymentId, completedAt });
    }

    private async Task<IReadOnlyList<long>> ExistingAsync(string table, long[] ids)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(
            $"SELECT id FROM platform.{table} WHERE id = ANY(@ids) ORDER BY id", new { ids })).AsList();
    }
}
