using System.Collections.Concurrent;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

public sealed class RecordingProgress : IScenarioProgress
{
    private readonly ConcurrentQueue<ScenarioProgress> reports = new();

    public IReadOnlyList<ScenarioProgress> Reports => [.. reports];

    public Task ReportAsync(ScenarioProgress progress, CancellationToken cancellationToken)
    {
        reports.Enqueue(progress);
        return Task.CompletedTask;
    }
}
