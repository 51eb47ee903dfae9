using System.Collections.Concurrent;
using Sdp.Simulator.Scenarios.Engine;

namespace Sdp.Simulator.Tests.Scenarios;

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
