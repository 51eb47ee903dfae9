namespace Sdp.Hosting;

/// <summary>Aspire's resource states.</summary>
public static class KnownResourceStates
{
    /// <summary>Declared, waiting for the resources it waits for (or for the app to start).</summary>
    public const string Waiting = nameof(Waiting);

    public const string Starting = nameof(Starting);

    /// <summary>Its process runs; see the health for whether it serves.</summary>
    public const string Running = nameof(Running);

    /// <summary>Could not start, or exited before it became healthy the first time; not retried.</summary>
    public const string FailedToStart = nameof(FailedToStart);

    /// <summary>What runs it is missing on this machine (a server binary); see scripts/bootstrap.sh.</summary>
    public const string RuntimeUnhealthy = nameof(RuntimeUnhealthy);

    public const string Stopping = nameof(Stopping);

    /// <summary>Exited unexpectedly; the host restarts it after a back-off.</summary>
    public const string Exited = nameof(Exited);

    /// <summary>Stopped by the host.</summary>
    public const string Finished = nameof(Finished);

    /// <summary>States after which the resource will not become healthy again in this run.</summary>
    public static bool IsTerminal(string state) => state is FailedToStart or RuntimeUnhealthy or Finished;
}
