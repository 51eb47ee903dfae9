using System.Collections.Concurrent;
using System.Net.Http;
using System.Text.Json;
using Sdp.Contracts;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// Open-loop load: request i is due at start + i / rate whatever happened to earlier ones, at most
/// <see cref="ScenarioLoad.Concurrency"/> are in flight, and each latency is measured from the time the request was
/// due, not sent, so a slow deployment's queueing shows in the percentiles instead of slowing the generator down
/// (coordinated omission). Requests still waiting for a slot when the window closes are counted as <c>not_sent</c>.
/// </summary>
public sealed class LoadPhase(ScenarioLoad settings, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>How late past the window a due request may still go out: absorbs scheduling jitter, not a backlog.</summary>
    private static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, long> errors = new(StringComparer.Ordinal);
    private readonly LatencySamples latencies = new();

    public LoadCounters Counters { get; } = new();

    /// <summary>
    /// Runs the phase. Cancellation stops it early and still returns the figures so far (the caller reports why).
    /// </summary>
    public async Task<LoadPhaseReport> RunAsync(Func<long, CancellationToken, Task<LoadOutcome>> send, CancellationToken cancellationToken)
    {
        var planned = (long)settings.RequestsPerSecond * settings.DurationSeconds;
        Counters.Plan(planned);
        var window = TimeSpan.FromSeconds(settings.DurationSeconds);
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new List<Task>((int)Math.Min(planned, 100_000));
        var start = time.GetTimestamp();
        long notSent = 0;

        try
        {
            for (long index = 0; index < planned; index++)
            {
                var due = TimeSpan.FromTicks(index * TimeSpan.TicksPerSecond / settings.RequestsPerSecond);
                // Timers run on a coarse clock (a few ms on Linux) and may fire early: look again rather than send a
                // request ahead of its time.
                for (var wait = due - time.GetElapsedTime(start); wait > TimeSpan.Zero; wait = due - time.GetElapsedTime(start))
                {
                    await Task.Delay(wait < MinimumDelay ? MinimumDelay : wait, time, cancellationToken);
                }

                if (!await TakeSlotAsync(slots, window + SendGrace - time.GetElapsedTime(start), cancellationToken))
                {
                    notSent = planned - index;
                    break;
                }

                Counters.RecordSent();
                inFlight.Add(SendOneAsync(send, index, start, due, slots, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut short: the figures so far are still worth reporting.
        }

        // Every request ends by its own timeout or by cancellation, so this wait is bounded.
        await Task.WhenAll(inFlight);
        var elapsed = time.GetElapsedTime(start);

        if (notSent > 0)
        {
            errors.AddOrUpdate(LoadOutcome.NotSentKind, notSent, (_, count) => count + notSent);
        }

        var answered = Counters.Completed;
        var percentiles = latencies.Percentiles(0.50, 0.95, 0.99);
        return new LoadPhaseReport(
            Requests: Counters.Sent + notSent,
            Errors: errors.Values.Sum(),
            ErrorsByKind: new SortedDictionary<string, long>(errors, StringComparer.Ordinal),
            LatencyP50Ms: Math.Round(percentiles[0], 3),
            LatencyP95Ms: Math.Round(percentiles[1], 3),
            LatencyP99Ms: Math.Round(percentiles[2], 3),
            RequestsPerSecond: elapsed > TimeSpan.Zero ? Math.Round(answered / elapsed.TotalSeconds, 2) : 0,
            DurationSeconds: Math.Round(elapsed.TotalSeconds, 3),
            Settings: settings);
    }

    private async Task<bool> TakeSlotAsync(SemaphoreSlim slots, TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (slots.Wait(0))
        {
            return Taken();
        }

        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        using var windowClosed = new CancellationTokenSource(remaining, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowClosed.Token);
        try
        {
            await slots.WaitAsync(linked.Token);
            return Taken();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // Cancelling the run cancels the requests in flight, and each frees its slot: a slot freed that way is not
        // room for one more request.
        bool Taken()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                slots.Release();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return true;
        }
    }

    private async Task SendOneAsync(Func<long, CancellationToken, Task<LoadOutcome>> send, long index, long start, TimeSpan due,
        SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        // Off the dispatcher's loop at once, so a request that completes synchronously cannot hold up the next one.
        await Task.Yield();
        string? errorKind = null;
        var answered = false;
        try
        {
            var outcome = await send(index, cancellationToken);
            answered = true;
            errorKind = outcome.ErrorKind;
        }
        catch (ScenarioTimeoutException)
        {
            errorKind = LoadOutcome.TimeoutKind;
        }
        catch (HttpRequestException)
        {
            errorKind = LoadOutcome.ConnectionKind;
        }
        catch (Exception exception) when (exception is CheckFailedException or JsonException or FormatException)
        {
            answered = true;
            errorKind = LoadOutcome.WrongResponseKind;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is ending; this request neither succeeded nor failed.
        }
        catch (Exception exception)
        {
            // A fault in the scenario itself, not in the deployment: counted apart so it cannot pass for either.
            logger.LogError(exception, "Load request {Index} failed inside the scenario", index);
            errorKind = "scenario_fault";
        }
        finally
        {
            slots.Release();
        }

        if (answered)
        {
            latencies.Add((time.GetElapsedTime(start) - due).TotalMilliseconds);
            Counters.RecordCompleted();
        }

        if (errorKind is not null)
        {
            errors.AddOrUpdate(errorKind, 1, (_, count) => count + 1);
        }
    }
}
