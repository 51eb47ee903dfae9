using System.Runtime.InteropServices;

namespace Sdp.Hosting.Processes;

/// <summary>The few libc calls .NET has no API for: signals other than SIGKILL, signalling a process group, the effective user.</summary>
internal static partial class NativeMethods
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>kill(2): a negative pid signals the whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;
}
