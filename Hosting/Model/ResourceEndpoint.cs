namespace Sdp.Hosting;

/// <summary>
/// A named endpoint of a resource. The port is either fixed (<see cref="RequestedPort"/>) or picked free on loopback
/// when the host first starts the resource, and then kept across restarts so references stay valid.
/// </summary>
public sealed class ResourceEndpoint
{
    internal ResourceEndpoint(string name, string scheme)
    {
        Name = name;
        Scheme = scheme;
    }

    public string Name { get; }

    public string Scheme { get; }

    /// <summary>Fixed port asked for with WithHttpEndpoint(port: ...); null or 0 means any free port.</summary>
    public int? RequestedPort { get; internal set; }

    /// <summary>The port in use, once allocated.</summary>
    public int? Port { get; private set; }

    /// <summary>A fixed port is announced as localhost (the way a launch profile would); a picked one as 127.0.0.1.</summary>
    public string Host => RequestedPort is > 0 ? "localhost" : "127.0.0.1";

    /// <summary>The endpoint's URL once allocated (<c>http://127.0.0.1:41234</c>).</summary>
    public Uri? Url => Port is { } port ? new Uri($"{Scheme}://{Host}:{port}") : null;

    internal bool IsAllocated => Port is not null;

    internal int Allocate()
    {
        Port ??= RequestedPort is int fixedPort && fixedPort > 0 ? fixedPort : Processes.FreePort.Next();
        return Port.Value;
    }
}
