namespace Hosting.Tests;

/// <summary>
/// A fresh state folder under /tmp for one test's platform. Not Directory.CreateTempSubdirectory: that one is
/// mode 700, and under root PostgreSQL and RabbitMQ run as their own users, who must reach it.
/// </summary>
internal sealed class TestStateDirectory : IDisposable
{
    public TestStateDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sdp-hosting-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover folder in /tmp harms nothing.
        }
    }
}
