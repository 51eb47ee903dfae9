using Dapper;
using Npgsql;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// A PostgreSQL session advisory lock held on a connection of its own, so that one replica at a time runs a
/// sweep; a replica that dies lets go with its connection.
/// </summary>
public sealed class WorkerLock : IAsyncDisposable
{
    public const long SweepKey = 0x5D9_0004;
    public const long LostResourceCheckKey = 0x5D9_0005;

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    private readonly NpgsqlConnection connection;
    private readonly long key;

    private WorkerLock(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
    }

    /// <summary>The lock, or null when another holder keeps it past <paramref name="wait"/> (zero: try once).</summary>
    public static async Task<WorkerLock?> TryAcquireAsync(NpgsqlDataSource database, long key, TimeSpan wait,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var giveUpAt = time.GetUtcNow() + wait;
            while (true)
            {
                if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)",
                        new { key }, cancellationToken: cancellationToken)))
                {
                    return new WorkerLock(connection, key);
                }

                if (time.GetUtcNow() >= giveUpAt)
                {
                    await connection.DisposeAsync();
                    return null;
                }

                await Task.Delay(RetryInterval, time, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and the lock with it.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
