namespace Sdp.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>A PostgreSQL server run from the machine's binaries (<c>Sdp:PostgresBinDirectory</c>).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new PostgresServerResource(name));

    /// <summary>A database inside the server, created when missing; it starts once the server is healthy.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder,
        string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        database.AddWaitFor(builder.Resource);
        return builder.ApplicationBuilder.AddResource(database);
    }

    /// <summary>
    /// A login role that may connect to the database and nothing more (no superuser, CREATEDB or CREATEROLE), created
    /// or given its password again once the database exists. Its connection string is the database's with that
    /// role's user name and generated password.
    /// </summary>
    public static IResourceBuilder<PostgresLoginRoleResource> AddLoginRole(this IResourceBuilder<PostgresDatabaseResource> builder,
        string name, string roleName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        if (roleName.Length > 63)
        {
            // PostgreSQL would silently truncate it, and then the connection string names another role.
            throw new ArgumentException($"Role name '{roleName}' is longer than PostgreSQL's 63 characters.", nameof(roleName));
        }

        var role = new PostgresLoginRoleResource(name, roleName, builder.Resource);
        role.AddWaitFor(builder.Resource);
        return builder.ApplicationBuilder.AddResource(role);
    }
}
