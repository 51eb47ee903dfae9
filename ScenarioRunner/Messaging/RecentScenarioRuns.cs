using Microsoft.Extensions.Options;
using Sdp.Contracts;

namespace Sdp.ScenarioRunner.Messaging;

/// <summary>
/// The runs this process started, by run id, so a redelivered request joins the run in progress or gets the finished
/// run's report again instead of driving traffic twice. In memory only: a request redelivered to another runner, or
/// after a restart, is not known here (the consumer closes it as interrupted). The oldest runs are forgotten past <see cref="ScenarioOptions.RecentReports"/>.
/// </summary>
public sealed class RecentScenarioRuns(IOptions<ScenarioOptions> options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, Task<ScenarioReport>> runs = [];
    private readonly Queue<long> order = new();

    /// <summary>Whether this process started the run of <paramref name="runId"/> (and has not forgotten it yet).</summary>
    public bool Knows(long runId)
    {
        lock (gate)
        {
            return runs.ContainsKey(runId);
        }
    }

    /// <summary>
    /// The run of <paramref name="runId"/>: started now with <paramref name="run"/> when this process has not seen it
    /// (<paramref name="started"/> true), else the one already started or finished.
    /// </summary>
    public Task<ScenarioReport> GetOrStart(long runId, Func<Task<ScenarioReport>> run, out bool started)
    {
        TaskCompletionSource<ScenarioReport> completion;
        lock (gate)
        {
            if (runs.TryGetValue(runId, out var existing))
            {
                started = false;
                return existing;
            }

            completion = new TaskCompletionSource<ScenarioReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            runs[runId] = completion.Task;
            order.Enqueue(runId);
            while (order.Count > options.Value.RecentReports && runs.Remove(order.Dequeue()))
            {
                // Forget the oldest; a run still in progress keeps going for whoever awaits it.
            }
        }

        started = true;
        _ = CompleteAsync(runId, run, completion);
        return completion.Task;
    }

    private async Task CompleteAsync(long runId, Func<Task<ScenarioReport>> run, TaskCompletionSource<ScenarioReport> completion)
    {
        try
        {
            completion.SetResult(await run());
        }
        catch (Exception exception)
        {
            // A run that threw has no report to repeat: forget it so a redelivery tries again.
            lock (gate)
            {
                runs.Remove(runId);
            }

            completion.SetException(exception);
        }
    }
}
