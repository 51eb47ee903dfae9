namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>A scenario run's states: saved and sent, under way (progress reported), over (report saved).</summary>
public static class ScenarioRunState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
}
