namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// A deployment moves queued → provisioning → ready → cleaning → deleted, or to failed with a reason.
/// Stored and shown as these lower-case words.
/// </summary>
public static class DeploymentState
{
    public const string Queued = "queued";
    public const string Provisioning = "provisioning";
    public const string Ready = "ready";
    public const string Cleaning = "cleaning";
    public const string Deleted = "deleted";
    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Queued, Provisioning, Ready, Cleaning, Deleted, Failed];
}
