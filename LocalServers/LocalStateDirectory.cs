using System.Diagnostics;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Sdp.LocalServers;

/// <summary>
/// Where the local servers keep what must outlive a run: one folder per resource (data, generated password, pid
/// file). <c>Sdp:StateDirectory</c>, else <c>.sdp/</c> in the folder holding the solution, so a warm start reuses it.
/// </summary>
public sealed class LocalStateDirectory
{
    private LocalStateDirectory(string root, string solutionDirectory)
    {
        Root = root;
        SolutionDirectory = solutionDirectory;
    }

    public string Root { get; }

    /// <summary>The folder holding the solution (the AppHost's folder when there is none above it).</summary>
    public string SolutionDirectory { get; }

    /// <summary>As root, PostgreSQL and RabbitMQ run as their own OS users (PostgreSQL refuses root).</summary>
    public static bool IsRoot { get; } = Environment.IsPrivilegedProcess;

    public static LocalStateDirectory From(IConfiguration configuration, string appHostDirectory)
    {
        var solutionDirectory = FindSolutionDirectory(appHostDirectory);
        var root = configuration["Sdp:StateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(solutionDirectory, ".sdp");
        Directory.CreateDirectory(root);
        return new LocalStateDirectory(root, solutionDirectory);
    }

    public string ResourceDirectory(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The password kept in the resource's folder, generated (owner-only) on first use.</summary>
    public string ReadOrCreatePassword(string resourceName, out bool created)
    {
        var path = Path.Combine(ResourceDirectory(resourceName), "password");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            created = false;
            return existing;
        }

        // Letters and digits only: no quoting question in any connection-string syntax.
        var password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);
        File.WriteAllText(path, password, System.Text.Encoding.ASCII);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        created = true;
        return password;
    }

    // Kept ports come from outside the kernel's ephemeral range (32768–60999 on Linux), from which every outgoing
    // connection of a starting platform draws its local port: one of those could otherwise sit on a kept port just
    // when its server starts again. Below the Simulator's range for candidates' services (20000–29999).
    private const int KeptPortsFrom = 19000;
    private const int KeptPortsTo = 19999;

    /// <summary>
    /// The loopback port kept in the resource's folder (<c>port</c>), chosen free on first use and again only when it
    /// is taken. Candidates' services are given the server's address once, when they are built, and a restarted
    /// platform must be where they were told it is, as a managed database's address does not change.
    /// </summary>
    public int KeptPort(string resourceName)
    {
        var path = Path.Combine(ResourceDirectory(resourceName), "port");
        if (ReadPort(path) is { } kept && LoopbackPorts.IsFree(kept))
        {
            return kept;
        }

        // Not one another server keeps: they are all chosen before any of them listens, so "free" alone would not
        // stop two servers from being given the same port.
        var port = LoopbackPorts.AnyFreeIn(KeptPortsFrom, KeptPortsTo, except: PortsKeptByOthers(path));
        File.WriteAllText(path, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return port;
    }

    private HashSet<int> PortsKeptByOthers(string ownPortFile) =>
        [.. Directory.EnumerateDirectories(Root).Select(d => Path.Combine(d, "port"))
            .Where(f => f != ownPortFile).Select(ReadPort).OfType<int>()];

    /// <summary>The port a resource's <c>port</c> file keeps; null when there is none or it is not a port.</summary>
    private static int? ReadPort(string path) =>
        File.Exists(path)
        && int.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var port)
        && port is > 0 and <= 65535
            ? port
            : null;

    /// <summary>A parameter resource (secret) holding the kept password, as Aspire's integrations take theirs.</summary>
    internal static IResourceBuilder<ParameterResource> PasswordParameter(IDistributedApplicationBuilder builder,
        LocalStateDirectory state, string resourceName, out bool created)
    {
        var password = state.ReadOrCreatePassword(resourceName, out created);
        return builder.AddParameter($"{resourceName}-password", () => password, secret: true);
    }

    private static string FindSolutionDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (directory.EnumerateFiles("*.sln").Any())
            {
                return directory.FullName;
            }
        }

        return start;
    }

    /// <summary>Runs a short command (initdb, chown) to its end; throws with its output when it fails.</summary>
    internal static async Task RunAsync(string resourceName, string fileName, IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new DistributedApplicationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException(
                $"{resourceName}: {Path.GetFileName(fileName)} exited with code {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}".Trim());
        }
    }

    /// <summary>
    /// Hands a folder to a server's OS user (chown -R) when the AppHost runs as root, and lets that user reach it
    /// through the folders above it (search permission only: it lists none of them).
    /// </summary>
    internal static async Task GiveToAsync(string resourceName, string path, string osUser, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return;
        }

        for (var parent = new DirectoryInfo(path).Parent; parent is not null; parent = parent.Parent)
        {
            parent.UnixFileMode |= UnixFileMode.OtherExecute;
        }

        await RunAsync(resourceName, "chown", ["-R", $"{osUser}:", path], cancellationToken).ConfigureAwait(false);
    }
}
