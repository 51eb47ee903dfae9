using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// The keys that authenticated recently, so a request does not cost a database round trip for its key. Never
/// stale by more than a notification's delivery: a trigger on <c>platform.api_keys</c> notifies channel
/// <c>api_keys</c> on every change, and each replica then forgets every key it remembers. While the listening
/// connection is down nothing is remembered. Unknown keys are never remembered, so guessing cannot fill it.
/// </summary>
public sealed class ApiKeyCache(NpgsqlDataSource database, TimeProvider time, IOptions<AuthOptions> options,
    ILogger<ApiKeyCache> logger) : BackgroundService
{
    public const string Channel = "api_keys";
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeSpan lifetime = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
    private long generation;
    private volatile bool listening;

    /// <summary>The stored key with this hash, or null when there is none.</summary>
    public async Task<ApiKeyLookup?> FindAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var name = Convert.ToHexString(hash);
        var now = time.GetUtcNow();
        if (listening && entries.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        // Read before the lookup: a change notified while it runs must not leave the older row remembered.
        var before = Interlocked.Read(ref generation);
        var key = await LoadAsync(hash, cancellationToken);
        if (key is not null && listening && lifetime > TimeSpan.Zero && entries.Count < MaxEntries)
        {
            var entry = new Entry(key, now + lifetime);
            entries[name] = entry;
            if (Interlocked.Read(ref generation) != before)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(name, entry));
            }
        }

        return key;
    }

    /// <summary>
    /// Forgets every remembered key. Called on each notification, and by this replica's own key changes at once,
    /// so its next request already sees them.
    /// </summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await PostgresChannel.ListenAsync(database, Channel,
                notified: _ => Forget(),
                listening: () =>
                {
                    // Changes made while not listening are unknown.
                    Forget();
                    listening = true;
                },
                lost: exception =>
                {
                    listening = false;
                    Forget();
                    logger.LogWarning(exception, "API key cache lost its notification connection; reconnecting");
                },
                time, stoppingToken);
        }
        finally
        {
            listening = false;
        }
    }

    private async Task<ApiKeyLookup?> LoadAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyLookup>(new CommandDefinition("""
            SELECT id, name, role, tenant_id AS TenantId, requests_per_minute AS RequestsPerMinute,
                   expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM platform.api_keys WHERE secret_sha256 = @hash
            """, new { hash }, cancellationToken: cancellationToken));
    }

    private sealed record Entry(ApiKeyLookup Key, DateTimeOffset Until);
}
