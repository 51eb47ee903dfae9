using System.Diagnostics;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>Runs Prometheus's promtool (the OS package <c>prometheus</c>, installed by scripts/bootstrap.sh).</summary>
public static class Promtool
{
    public static string Path { get; } = Locate();

    public static string RulesDirectory { get; } = System.IO.Path.Combine(RepositoryRoot(), "deploy", "prometheus");

    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string? standardInput,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = RulesDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string Locate()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(directory, "promtool");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "promtool is not installed: run scripts/bootstrap.sh (it installs the OS package prometheus).");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Sdp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Sdp.sln) was not found above the test output.");
    }
}
