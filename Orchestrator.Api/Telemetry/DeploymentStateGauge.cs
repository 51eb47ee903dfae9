using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Telemetry;

/// <summary>
/// <c>sdp.deployments.current{state}</c>: how many deployments are in each state. The gauge's callback must not
/// block on the database, so a background pass refreshes the counts and the callback reports the last ones.
/// </summary>
public sealed class DeploymentStateGauge : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentStateGauge> _logger;
    private volatile IReadOnlyDictionary<string, long> _counts = new Dictionary<string, long>();

    public DeploymentStateGauge(NpgsqlDataSource database, TimeProvider time, ILogger<DeploymentStateGauge> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        SdpMetrics.Meter.CreateObservableGauge(SdpMetrics.DeploymentsByStateName, Observe, "{deployment}",
            "Deployments currently in each state.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.LogWarning(exception, "Counting deployments by state failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
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
