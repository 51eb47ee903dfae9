using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Sdp.Testing;

/// <summary>Aspire's own resource commands (stop, start, restart), as an operator runs them from the dashboard.</summary>
public static class ResourceCommands
{
    /// <summary>Runs a resource command; a refused or failed one throws with the reason Aspire gave.</summary>
    public static async Task ExecuteCommandAsync(this DistributedApplication app, string resourceName, string command,
        CancellationToken cancellationToken)
    {
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resourceName, command, cancellationToken);
        if (result.Canceled)
        {
            throw new OperationCanceledException($"{command} on {resourceName} was canceled.", cancellationToken);
        }

        if (!result.Success)
        {
            throw new InvalidOperationException(
                $"{command} on {resourceName} failed: {result.Message ?? "no reason given"}");
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> (restart, or start of a stopped resource) and returns once the resource's new
    /// process is running, with the time from which a health report can only be the new process's: pass it to
    /// <see cref="ResourceWaits.WaitUntilHealthyAsync"/>.
    /// <para>
    /// Why wait here: the command returns once the new process is under way, while the resource's snapshot can still
    /// be the old process's. Aspire deletes the old process's object before it creates the new one, and the deletion
    /// is published as "Exited" when its watcher gets to it, after "Starting" at times; a wait for health that sees
    /// it ends at once, as though the new process had failed to start. And the old process's "Healthy" report stays
    /// on the snapshot until the health monitor runs again, so health alone does not say the new process answers.
    /// </para>
    /// </summary>
    public static async Task<DateTime> StartNewProcessAsync(this DistributedApplication app, string resourceName,
        string command, CancellationToken cancellationToken)
    {
        var before = app.ResourceNotifications.TryGetCurrentState(resourceName, out var current) ? current.Snapshot.ExecutableProcessId() : null;
        await app.ExecuteCommandAsync(resourceName, command, cancellationToken);
        // Events of one resource come in order: once the new process is seen running, the old one's are all past.
        await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.ExecutableProcessId() is { } pid && pid != before,
            cancellationToken);
        return TimeProvider.System.GetUtcNow().UtcDateTime;
    }
}
