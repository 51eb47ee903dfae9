using System.Collections.Concurrent;
using Npgsql;
using Sdp.Contracts;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// Drops candidates' schemas and roles, those asked for while a drop is running together in the next
/// transaction (a group commit). Each DDL transaction costs the server a commit, a look through its
/// sessions and a round of catalogue invalidations that every backend has to read, so under a
/// burst of removals a few drops per transaction cost little more than one. A lone removal runs at once, alone.
/// When a batch fails, each of its drops is tried on its own, so one candidate that cannot be dropped does not
/// hold up the others.
/// </summary>
internal sealed class CandidateDrops(NpgsqlDataSource platformDatabase)
{
    // Large enough to take a whole burst, small enough to keep one transaction's locks and WAL modest.
    private const int MaxBatch = 32;

    private readonly ConcurrentQueue<PendingDrop> queue = new();
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Drops schema (with everything in it) and role; returns whether either existed.</summary>
    public async Task<bool> DropAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        var drop = new PendingDrop(names);
        queue.Enqueue(drop);
        await using (cancellationToken.Register(() => drop.Result.TrySetCanceled(cancellationToken)))
        {
            while (!drop.Result.Task.IsCompleted)
            {
                try
                {
                    await turn.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                try
                {
                    // An earlier batch may have taken this drop while it waited for its turn.
                    if (!drop.Result.Task.IsCompleted)
                    {
                        await RunBatchAsync(TakeBatch());
                    }
                }
                finally
                {
                    turn.Release();
                }
            }
        }

        return await drop.Result.Task;
    }

    private List<PendingDrop> TakeBatch()
    {
        var batch = new List<PendingDrop>();
        while (batch.Count < MaxBatch && queue.TryDequeue(out var next))
        {
            // A caller that gave up is skipped; its drop is idempotent and will be asked for again.
            if (!next.Result.Task.IsCompleted)
            {
                batch.Add(next);
            }
        }

        return batch;
    }

    /// <summary>
    /// Runs without the callers' cancellation: the drops in it belong to several callers, and the command
    /// timeout bounds it.
    /// </summary>
    private async Task RunBatchAsync(List<PendingDrop> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var existing = await DropTogetherAsync(batch);
            foreach (var drop in batch)
            {
                drop.Result.TrySetResult(existing.Contains(drop.Names.DatabaseSchema) || existing.Contains(drop.Names.DatabaseRole));
            }
        }
        catch (Exception exception) when (batch.Count == 1)
        {
            batch[0].Result.TrySetException(exception);
        }
        catch (Exception)
        {
            foreach (var drop in batch)
            {
                await RunBatchAsync([drop]);
            }
        }
    }

    /// <summary>One implicit transaction for the whole batch; returns the names (schemas and roles) that existed.</summary>
    private async Task<HashSet<string>> DropTogetherAsync(List<PendingDrop> batch)
    {
        var schemas = batch.Select(d => d.Names.DatabaseSchema).Distinct(StringComparer.Ordinal).ToArray();
        var roles = batch.Select(d => d.Names.DatabaseRole).Distinct(StringComparer.Ordinal).ToArray();

        await using var connection = await platformDatabase.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        // Only the roles that exist: DROP OWNED BY fails on a role that is already gone (a repeated or
        // half-finished cleanup), and it has no IF EXISTS. Names are looked up with to_regnamespace/to_regrole (a
        // cache lookup each) and sessions found with the backend accessors: pg_stat_activity and pg_roles are views
        // whose joins, and a formatted row for every session of the server, cost ten times as much per batch.
        command.CommandText = $"""
            SELECT s FROM unnest(@schemas) AS s WHERE to_regnamespace(s) IS NOT NULL
            UNION ALL SELECT r FROM unnest(@roles) AS r WHERE to_regrole(r) IS NOT NULL;
            SELECT count(pg_terminate_backend(pg_stat_get_backend_pid(b))) FROM pg_stat_get_backend_idset() AS b
            WHERE pg_stat_get_backend_userid(b) = ANY (SELECT to_regrole(r)::oid FROM unnest(@roles) AS r);
            DROP SCHEMA IF EXISTS {string.Join(", ", schemas.Select(CandidateDatabase.Quote))} CASCADE;
            DO $drop$
            DECLARE existing text;
            BEGIN
                SELECT string_agg(quote_ident(r), ', ') INTO existing
                FROM unnest(ARRAY[{string.Join(", ", roles.Select(Literal))}]::text[]) AS r WHERE to_regrole(r) IS NOT NULL;
                IF existing IS NOT NULL THEN
                    EXECUTE 'DROP OWNED BY ' || existing;
                    EXECUTE 'DROP ROLE ' || existing;
                END IF;
            END $drop$;
            """;
        command.Parameters.AddWithValue("schemas", schemas);
        command.Parameters.AddWithValue("roles", roles);

        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            existing.Add(reader.GetString(0));
        }

        // The remaining statements' errors surface while their results are read.
        while (await reader.NextResultAsync())
        {
        }

        return existing;
    }

    // Names come from CandidateResourceNames (a prefix and a number); quoting is belt and braces.
    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    private sealed record PendingDrop(CandidateResourceNames Names)
    {
        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
