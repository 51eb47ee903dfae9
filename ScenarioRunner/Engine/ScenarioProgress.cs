namespace Sdp.ScenarioRunner.Engine;

/// <summary>Where a run is: its phase, load requests sent of those planned, checks passed and failed so far.</summary>
public sealed record ScenarioProgress(string Phase, long RequestsSent, long RequestsPlanned, int ChecksPassed, int ChecksFailed)
{
    public const string ChecksPhase = "checks";
    public const string LoadPhase = "load";
    public const string DonePhase = "done";
}
