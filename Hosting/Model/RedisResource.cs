namespace Sdp.Hosting;

/// <summary>A Redis server the host runs from the machine's binaries, on loopback, with a generated password.</summary>
public sealed class RedisResource(string name) : Resource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public override string Type => "Redis";

    public string? Password { get; internal set; }

    public ResourceEndpoint PrimaryEndpoint => GetOrAddEndpoint(PrimaryEndpointName, "tcp");

    public string? ConnectionString => PrimaryEndpoint.Port is { } port && Password is { } password
        ? ConnectionStrings.Redis("127.0.0.1", port, password)
        : null;
}
