using System.Diagnostics;
using System.Globalization;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>POSIX signals to the platform's processes (the host restarts what exits).</summary>
public static class Signals
{
    public const string SIGINT = "INT";
    public const string SIGKILL = "KILL";
    public const string SIGTERM = "TERM";

    public static void Send(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
        kill.WaitForExit(5000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed: {kill.StandardError.ReadToEnd()}");
        }
    }
}
