namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// A deployment moves queued → provisioning → ready → cleaning → deleted, or to failed with a reason. A custom
/// deployment whose service spec a model generates starts in generating (it moves to queued once the spec is there).
/// Stored and shown as these lower-case words.
/// </summary>
public static class DeploymentState
{
    public const string Generating = "generating";
    public const string Queued = "queued";
    public const string Provisioning = "provisioning";
    public const string Ready = "ready";
    public const string Cleaning = "cleaning";
    public const string Deleted = "deleted";
    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Generating, Queued, Provisioning, Ready, Cleaning, Deleted, Failed];

    private static readonly string[] Lifecycle = [Generating, Queued, Provisioning, Ready, Cleaning, Deleted];

    /// <summary>
    /// Whether a client waiting for <paramref name="awaited"/> has its answer: the deployment is there or past it
    /// (a deleted deployment will never become ready), or it failed, which ends every wait but one for deletion.
    /// </summary>
    public static bool HasSettled(string current, string awaited)
    {
        if (current == awaited)
        {
            return true;
        }

        if (current == Failed)
        {
            return awaited != Deleted && awaited != Cleaning;
        }

        if (awaited == Failed)
        {
            return current == Deleted;
        }

        return Array.IndexOf(Lifecycle, current) >= Array.IndexOf(Lifecycle, awaited);
    }
}
