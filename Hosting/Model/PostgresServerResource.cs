namespace Sdp.Hosting;

/// <summary>A PostgreSQL server the host runs from the machine's binaries, on loopback, with a generated password.</summary>
public sealed class PostgresServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public override string Type => "PostgresServer";

    public string UserName => "postgres";

    /// <summary>Generated once and kept in the state directory, so a warm start reuses the data.</summary>
    public string? Password { get; internal set; }

    public ResourceEndpoint PrimaryEndpoint => GetOrAddEndpoint(PrimaryEndpointName, "tcp");

    public string? ConnectionString => PrimaryEndpoint.Port is { } port && Password is { } password
        ? ConnectionStrings.Postgres("127.0.0.1", port, UserName, password, database: null)
        : null;
}
