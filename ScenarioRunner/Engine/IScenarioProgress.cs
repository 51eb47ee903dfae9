namespace Sdp.ScenarioRunner.Engine;

/// <summary>Where a run's progress goes: the bus consumer publishes it; tests record it.</summary>
public interface IScenarioProgress
{
    /// <summary>Called at each phase change and about once a second. A failure here is logged, never fatal to the run.</summary>
    Task ReportAsync(ScenarioProgress progress, CancellationToken cancellationToken);
}
