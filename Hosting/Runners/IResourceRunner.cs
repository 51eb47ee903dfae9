namespace Sdp.Hosting.Runners;

/// <summary>A started instance of a resource: its process id, if it has one, and its exit (code, if known).</summary>
internal sealed record ResourceInstance(int? ProcessId, Task<int?> Exited);

/// <summary>Starts, checks and stops one kind of resource. One runner per resource, reused across restarts.</summary>
internal interface IResourceRunner
{
    /// <summary>Null when this machine has what the resource needs; otherwise what is missing and how to get it.</summary>
    string? FindMissingPrerequisite();

    /// <summary>
    /// Allocates ports and reads or creates credentials, for every resource before any starts, so that connection
    /// strings and endpoints are known up front.
    /// </summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Launches the resource and returns once it runs (it may not serve yet).</summary>
    Task<ResourceInstance> StartAsync(CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops gracefully until <paramref name="grace"/> is cancelled, then by force. Must also clean up after a start
    /// that was interrupted, and do nothing if nothing runs.
    /// </summary>
    Task StopAsync(CancellationToken grace);
}
