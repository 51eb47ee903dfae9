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
}
