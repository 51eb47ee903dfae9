namespace Sdp.Testing;

/// <summary>
/// A fresh state folder under /tmp for one test's platform or servers, never the developer's own .sdp/. Not
/// Directory.CreateTempSubdirectory: that one is mode 700, and as root PostgreSQL and RabbitMQ run as their own OS
/// users, who must reach it.
/// </summary>
public sealed class TestStateDirectory : IDisposable
{
    public TestStateDirectory(string prefix = "sdp-tests")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover folder in /tmp harms nothing.
        }
    }
}
