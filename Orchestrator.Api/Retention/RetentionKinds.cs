namespace Sdp.Orchestrator.Api.Retention;

/// <summary>What the retention purge removes.</summary>
public static class RetentionKinds
{
    public const string Deployment = "deployment";
    public const string ScenarioRun = "scenario_run";
    public const string AuditEntry = "audit_entry";

    public static readonly string[] All = [Deployment, ScenarioRun, AuditEntry];
}
