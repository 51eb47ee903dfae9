namespace Sdp.Hosting;

/// <summary>A database inside a <see cref="PostgresServerResource"/>; the host creates it when missing.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<PostgresServerResource>
{
    public override string Type => "PostgresDatabase";

    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;

    public string? ConnectionString => Parent.PrimaryEndpoint.Port is { } port && Parent.Password is { } password
        ? ConnectionStrings.Postgres("127.0.0.1", port, Parent.UserName, password, DatabaseName)
        : null;
}
