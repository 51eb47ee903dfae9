using Npgsql;

namespace Sdp.Hosting.Runners;

/// <summary>A database inside a PostgreSQL server: created when missing; no process of its own.</summary>
internal sealed class PostgresDatabaseRunner(PostgresDatabaseResource resource) : IResourceRunner
{
    // Lives as long as its server: nothing of its own can exit.
    private static readonly Task<int?> NeverExits = new TaskCompletionSource<int?>().Task;

    public string? FindMissingPrerequisite() => null;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        var serverConnectionString = resource.Parent.ConnectionString
            ?? throw new DistributedApplicationException($"Server {resource.Parent.Name} is not started.", resource.Name);
        await using var connection = new NpgsqlConnection(serverConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", resource.DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            // CREATE DATABASE takes no parameters: quote the identifier.
            var quoted = "\"" + resource.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new ResourceInstance(null, NeverExits);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        PostgresLogin.SucceedsAsync(resource.ConnectionString, cancellationToken);

    public Task StopAsync(CancellationToken grace) => Task.CompletedTask;
}
