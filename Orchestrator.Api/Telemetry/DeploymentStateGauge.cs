using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Telemetry;

/// <summary><c>sdp.deployments.current{state}</c>: how many deployments are in each state.</summary>
public sealed class DeploymentStateGauge : RefreshedGauge
{
    private readonly NpgsqlDataSource _database;
    private volatile IReadOnlyDictionary<string, long> _counts = new Dictionary<string, long>();

    public DeploymentStateGauge(NpgsqlDataSource database, TimeProvider time, ILogger<DeploymentStateGauge> logger)
        : base(time, logger)
    {
        _database = database;
        SdpMetrics.Meter.CreateObservableGauge(SdpMetrics.DeploymentsByStateName, Observe, "{deployment}",
            "Deployments currently in each state.");
    }

    protected override string Counted => "deployments by state";

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, count(*) FROM platform.deployments GROUP BY state", cancellationToken: cancellationToken));
        // Every known state is reported, zero included, so a chart's series never just stops.
        var counts = DeploymentState.All.ToDictionary(state => state, _ => 0L);
        foreach (var (state, count) in rows)
        {
            counts[state] = count;
        }

        _counts = counts;
    }

    private IEnumerable<Measurement<long>> Observe() =>
        _counts.Select(pair => new Measurement<long>(pair.Value,
            new KeyValuePair<string, object?>(SdpMetrics.StateTag, pair.Key)));
}
