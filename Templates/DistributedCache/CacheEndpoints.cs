using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.DistributedCache;

/// <summary><c>/api/cache/{key}</c> (PUT, GET with <c>X-Cache: HIT|MISS</c>, DELETE) and <c>/api/stats</c>.</summary>
internal static class CacheEndpoints
{
    public const int MaxValueBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapCacheEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var cache = endpoints.MapGroup("/api/cache");
        cache.MapPut("/{key}", PutAsync);
        cache.MapGet("/{key}", GetAsync);
        cache.MapDelete("/{key}", DeleteAsync);
        endpoints.MapGet("/api/stats", GetStatsAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<CacheEntryResponse>, ValidationProblem>> PutAsync(
        string key, PutCacheEntryRequest? request, ICacheService cache, DistributedCacheOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!CacheKey.IsValid(key))
        {
            errors["key"] = CacheKey.Rule;
        }

        if (request?.Value is null)
        {
            errors["value"] = "value is required: a string.";
        }
        else if (Encoding.UTF8.GetByteCount(request.Value) > MaxValueBytes)
        {
            errors["value"] = "value must be at most 1 MiB (1,048,576 bytes of UTF-8).";
        }

        if (request?.TtlSeconds is { } ttlSeconds && (ttlSeconds < 1 || ttlSeconds > options.MaxTtlSeconds))
        {
            errors["ttl_seconds"] = $"ttl_seconds must be from 1 to {options.MaxTtlSeconds:N0}, or left out.";
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var ttl = request!.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.DefaultTtl;
        var entry = await cache.SetAsync(key, request.Value!, ttl, cancellationToken);
        return TypedResults.Ok(entry.ToResponse());
    }

    private static async Task<Results<Ok<CacheEntryResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string key, ICacheService cache, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!CacheKey.IsValid(key))
        {
            return ApiProblems.Invalid("key", CacheKey.Rule);
        }

        var lookup = await cache.GetAsync(key, cancellationToken);
        if (lookup is null)
        {
            return NotFound(key);
        }

        response.Headers["X-Cache"] = lookup.Hit ? "HIT" : "MISS";
        return TypedResults.Ok(lookup.Entry.ToResponse());
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string key, ICacheService cache, CancellationToken cancellationToken)
    {
        if (!CacheKey.IsValid(key))
        {
            return ApiProblems.Invalid("key", CacheKey.Rule);
        }

        return await cache.RemoveAsync(key, cancellationToken) ? TypedResults.NoContent() : NotFound(key);
    }

    private static async Task<Ok<CacheStatsResponse>> GetStatsAsync(
        CacheStatistics statistics, CacheEntryStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (hits, misses) = await statistics.ReadAsync(cancellationToken);
        var entries = await store.CountLiveAsync(timeProvider.GetUtcNow(), cancellationToken);
        var lookups = hits + misses;
        return TypedResults.Ok(new CacheStatsResponse(hits, misses, lookups == 0 ? 0 : (double)hits / lookups, entries));
    }

    private static ProblemHttpResult NotFound(string key) =>
        ApiProblems.NotFound("Cache entry not found", $"No live entry has the key '{key}'.");
}
