namespace Sdp.Hosting;

/// <summary>
/// A login role for one database: no superuser, no CREATEDB, no CREATEROLE, CONNECT on its database, with a
/// generated password. What it may do inside the database is the application's to grant (its migrations).
/// </summary>
public sealed class PostgresLoginRoleResource(string name, string roleName, PostgresDatabaseResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<PostgresDatabaseResource>
{
    public override string Type => "PostgresLoginRole";

    /// <summary>The role's name in PostgreSQL (<c>sdp_app</c>).</summary>
    public string RoleName { get; } = roleName;

    public PostgresDatabaseResource Parent { get; } = parent;

    /// <summary>Generated once and kept in the state directory, like the server's.</summary>
    public string? Password { get; internal set; }

    /// <summary>The database's connection string with this role's user name and password.</summary>
    public string? ConnectionString => Parent.Parent.PrimaryEndpoint.Port is { } port && Password is { } password
        ? ConnectionStrings.Postgres("127.0.0.1", port, RoleName, password, Parent.DatabaseName)
        : null;
}
