using Microsoft.Extensions.Options;
using OpenTelemetry;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Asks every ready standby slot's service whether it answers, at start-up and every
/// <see cref="StandbyOptions.ProbeInterval"/>: a slot that answers again is claimable again, a silent one is skipped by
/// claims (but keeps its place in the pool, so the refiller does not build beside it), and one silent for longer than
/// <see cref="StandbyOptions.DeadAfter"/> is removed and replaced (<see cref="StandbySlotHealth"/>). Every replica
/// probes; what they write is conditional and serialized, so two passes at once only ask twice.
/// </summary>
public sealed partial class StandbySlotProber(
    StandbySlotHealthStore store,
    StandbySlotProbe probe,
    OutboxPublisher outbox,
    StandbyRefiller refiller,
    IOptions<StandbyOptions> options,
    TimeProvider time,
    ILogger<StandbySlotProber> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProbeAllAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away; nothing is lost, the next pass asks again.
                LogPassFailed(exception, options.Value.ProbeInterval);
            }

            try
            {
                await Task.Delay(options.Value.ProbeInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the ready slots.</summary>
    public async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var slots = await store.ReadReadyAsync(cancellationToken);
        if (slots.Count == 0)
        {
            return;
        }

        var answered = new bool[slots.Count];
        // Untraced: a trace per slot every pass would bury the traces people look for. A claim's probe stays in its
        // request's trace.
        using (SuppressInstrumentationScope.Begin())
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, slots.Count),
                new ParallelOptions { MaxDegreeOfParallelism = settings.ProbeConcurrency, CancellationToken = cancellationToken },
                async (i, token) => answered[i] = await probe.AnswersAsync(slots[i].EndpointUrl, token));
        }

        // Judged after the probes, with the time the findings are written at.
        var now = time.GetUtcNow();
        var verdicts = slots.Select((slot, i) => (slot.Id, Verdict: StandbySlotHealth.Judge(answered[i],
            slot.UnansweredSince is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : null,
            now, settings.DeadAfter))).ToList();
        var record = await store.RecordAsync(verdicts, now, settings.DeadAfter, cancellationToken);

        foreach (var message in record.Removals)
        {
            await outbox.PublishOrLeaveToRelayAsync(message, cancellationToken);
        }

        if (record.Removals.Count > 0)
        {
            refiller.PoolsChanged();
        }

        var silent = verdicts.Count(v => v.Verdict != StandbySlotVerdict.Answering);
        if (silent > 0 || record.AnsweringAgain.Count > 0)
        {
            LogPass(slots.Count, silent, string.Join(", ", record.Silenced), string.Join(", ", record.AnsweringAgain),
                record.Removals.Count, settings.DeadAfter);
        }
    }

    [LoggerMessage(LogLevel.Warning,
        "Standby slots probed: {Silent} of {Probed} did not answer (newly silent: [{Silenced}]); answering again: " +
        "[{AnsweringAgain}]; {Removed} silent for longer than {DeadAfter} removed for replacement")]
    private partial void LogPass(int probed, int silent, string silenced, string answeringAgain, int removed,
        TimeSpan deadAfter);

    [LoggerMessage(LogLevel.Warning, "Probing the standby slots failed; trying again in {Interval}")]
    private partial void LogPassFailed(Exception exception, TimeSpan interval);
}
