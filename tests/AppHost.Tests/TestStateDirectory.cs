namespace AppHost.Tests;

/// <summary>A fresh state folder: the AppHost keeps its admin key there, never in the developer's own .sdp/.</summary>
internal sealed class TestStateDirectory : IDisposable
{
    public TestStateDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sdp-apphost-tests-" + Guid.NewGuid().ToString("N")[..12]);
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
