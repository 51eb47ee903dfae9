using Microsoft.Extensions.Logging;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.CustomService;

/// <summary>
/// Cache-aside for reads by id of the resources whose spec asks for it: <c>{prefix}{resource}:{id}</c> → the item's
/// JSON, for the spec's TTL. A write removes the entry before it answers, so a client reads its own writes; a read that
/// raced a write may put the old item back, for at most the TTL. Redis is an optimisation only: when it fails, reads go
/// to PostgreSQL.
/// </summary>
internal sealed class ResourceCache(RedisConnection redis, RedisKeyspace keyspace, ILogger<ResourceCache> logger)
{
    public async Task<byte[]?> FindAsync(ResourceSpec resource, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.GetDatabaseAsync(cancellationToken);
            var value = await database.StringGetAsync(Key(resource, id)).WaitAsync(cancellationToken);
            return value.HasValue ? (byte[]?)value : null;
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis read failed for {Resource} {Id}; serving from PostgreSQL", resource.Name, id);
            return null;
        }
    }

    public async Task StoreAsync(ResourceSpec resource, Guid id, byte[] json, CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.GetDatabaseAsync(cancellationToken);
            // Fire and forget: the read does not wait for the cache write.
            await database.StringSetAsync(Key(resource, id), json, TimeSpan.FromSeconds(resource.Cache!.TtlSeconds),
                flags: CommandFlags.FireAndForget);
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis write failed for {Resource} {Id}", resource.Name, id);
        }
    }

    public async Task RemoveAsync(ResourceSpec resource, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.GetDatabaseAsync(cancellationToken);
            await database.KeyDeleteAsync(Key(resource, id)).WaitAsync(cancellationToken);
        }
        catch (RedisException exception)
        {
            // The entry expires with its TTL; until then a read may see the item as it was.
            logger.LogWarning(exception, "Redis delete failed for {Resource} {Id}", resource.Name, id);
        }
    }

    private RedisKey Key(ResourceSpec resource, Guid id) => keyspace.Key(resource.Name + ":" + id.ToString("N"));
}
