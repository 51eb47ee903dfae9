using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Api;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// Keeps each service in a JSON file of its own under <see cref="CloudRunSimulatorOptions.StateDirectory"/>, so a
/// restarted Simulator can bring it back. Without a state folder it keeps nothing and costs nothing.
/// </summary>
/// <remarks>
/// A file is replaced whole: written beside it under a temporary name, then renamed over it, so a reader (or the next
/// start, after a kill) finds the old version or the new one, never a mix. Files are not flushed to the disk: a killed
/// Simulator loses nothing the kernel has, and only a power cut could undo a write, which a local stand-in can accept
/// rather than add a disk flush to every deployment.
/// </remarks>
public sealed partial class ServiceStore(IOptions<CloudRunSimulatorOptions> options, ILogger<ServiceStore> logger)
{
    private const string FileExtension = ".json";
    private const string TempExtension = ".tmp";

    /// <summary>Below the usual 255-byte limit of a file name, with room for a temporary name's suffix.</summary>
    private const int MaxReadableNameLength = 180;

    private static readonly JsonSerializerOptions Json = CloudRunJson.EnumsAsNames;

    private readonly string? directory = string.IsNullOrWhiteSpace(options.Value.StateDirectory)
        ? null
        : Path.GetFullPath(options.Value.StateDirectory);

    // One write at a time, across services: a service's writes then land in the order they read its state (so the
    // newest wins), and a deletion cannot interleave with a write. A write takes well under a millisecond.
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public bool IsEnabled => directory is not null;

    /// <summary>The state folder, absolute; null when services are kept in memory only.</summary>
    public string? StateDirectory => directory;

    /// <summary>
    /// Every kept service, creating the folder when it does not exist yet. Temporary files that a killed Simulator left
    /// are removed; a file that cannot be read is left in place, with a warning, for someone to look at.
    /// </summary>
    public async Task<IReadOnlyList<StoredService>> LoadAsync(CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            return [];
        }

        Directory.CreateDirectory(directory);
        var services = new List<StoredService>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (path.EndsWith(TempExtension, StringComparison.Ordinal))
            {
                File.Delete(path);
                LogRemovedTempFile(path);
            }
            else if (path.EndsWith(FileExtension, StringComparison.Ordinal)
                && await ReadAsync(path, cancellationToken) is { } service)
            {
                services.Add(service);
            }
        }

        return services;
    }

    /// <summary>
    /// Writes what <paramref name="service"/> is now, replacing its file whole. Nothing is written once it is being
    /// deleted. Throws when the file cannot be written.
    /// </summary>
    public async Task SaveAsync(SimulatedService service, CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            return;
        }

        await writeGate.WaitAsync(cancellationToken);
        try
        {
            // Read under the gate, so the write that finishes last carries the newest state.
            if (service.ToStored() is not { } stored)
            {
                return;
            }

            var path = PathOf(service.Name);
            var temporary = $"{path}.{Guid.NewGuid():N}{TempExtension}";
            try
            {
                // Owner-only: a service's environment holds its credentials, as a container's does.
                var ownerOnly = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    ownerOnly.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (var stream = new FileStream(temporary, ownerOnly))
                {
                    await JsonSerializer.SerializeAsync(stream, stored, Json, cancellationToken);
                }

                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>As <see cref="SaveAsync"/>, but a failure is logged and returned rather than thrown.</summary>
    public async Task<Exception?> TrySaveAsync(SimulatedService service, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(service, cancellationToken);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogSaveFailed(exception, service.Name.FullName);
            return exception;
        }
    }

    /// <summary>Removes the file of a service whose deletion is finishing.</summary>
    public async Task DeleteAsync(ServiceName name, CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            return;
        }

        await writeGate.WaitAsync(cancellationToken);
        try
        {
            File.Delete(PathOf(name));
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<StoredService?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            var stored = await JsonSerializer.DeserializeAsync<StoredService>(stream, Json, cancellationToken);
            var problem = stored switch
            {
                null => "it is empty",
                { Version: not StoredService.CurrentVersion } => $"it has format version {stored.Version}",
                _ when !string.Equals(Path.GetFileName(path), FileName(stored.Name), StringComparison.Ordinal) =>
                    $"it keeps {stored.Name}, which belongs in another file",
                _ => ServiceRequestValidator.Validate(stored.ServiceId, stored.Requested)?.Description,
            };
            if (problem is null)
            {
                return stored;
            }

            LogUnusableFile(path, problem);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever is wrong with one file (unreadable, not JSON, a field missing or null), the others come back.
            LogUnreadableFile(exception, path);
        }

        return null;
    }

    private string PathOf(ServiceName name) => Path.Combine(directory!, FileName(name));

    /// <summary>
    /// <c>{project}+{location}+{serviceId}.json</c>, so a listing of the folder reads as the services it keeps. Project
    /// and location come from request paths unchecked, so they are escaped (which also escapes the <c>+</c>); a name too
    /// long for a file name is replaced by its hash.
    /// </summary>
    private static string FileName(ServiceName name)
    {
        var readable = $"{Uri.EscapeDataString(name.Project)}+{Uri.EscapeDataString(name.Location)}+{name.ServiceId}";
        return (readable.Length <= MaxReadableNameLength
            ? readable
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.FullName)))) + FileExtension;
    }

    [LoggerMessage(LogLevel.Error, "Service {ServiceName} could not be written to the state folder")]
    private partial void LogSaveFailed(Exception exception, string serviceName);

    [LoggerMessage(LogLevel.Information, "Removed {Path}, a write that a stopped Simulator did not finish")]
    private partial void LogRemovedTempFile(string path);

    [LoggerMessage(LogLevel.Warning, "Skipped the service file {Path}: {Problem}")]
    private partial void LogUnusableFile(string path, string problem);

    [LoggerMessage(LogLevel.Warning, "Skipped the service file {Path}: it cannot be read")]
    private partial void LogUnreadableFile(Exception exception, string path);
}
