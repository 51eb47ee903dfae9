using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Auth;

namespace Sdp.Orchestrator.Api.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// A token bucket per API key: a key's requests refill at its rate per minute, up to its burst. Anonymous
    /// requests (probes, and calls about to be refused a 401) are not limited here.
    /// The bucket holds at least one second of the key's rate: the partitioned limiter refills its buckets on a
    /// timer about ten times a second, so a bucket smaller than that would cap a high rate at ten buckets a second,
    /// and a key granted thousands of requests a second would be refused its 101st request at once.
    /// </summary>
    public static IHostApplicationBuilder AddApiRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiRateLimitOptions>()
            .Bind(builder.Configuration.GetSection(ApiRateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<ApiRateLimitOptions>>((limiter, settings) =>
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    if (context.GetCaller() is not { } caller)
                    {
                        return RateLimitPartition.GetNoLimiter("anonymous");
                    }

                    var perMinute = int.TryParse(context.User.FindFirst(ApiKeyAuthenticationHandler.RequestsPerMinuteClaim)?.Value,
                        NumberStyles.None, CultureInfo.InvariantCulture, out var own) ? own : settings.Value.RequestsPerMinute;
                    return RateLimitPartition.GetTokenBucketLimiter(caller.KeyId.ToString(), _ => KeyTokenBucket.Options(perMinute,
                        settings.Value.Burst));
                });
                limiter.OnRejected = RejectAsync;
            });
        return builder;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = KeyTokenBucket.RetryAfterSeconds(
            rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Rate limit exceeded",
                Detail = $"This API key made more requests than its rate allows; retry after {retryAfter} s.",
                Extensions = { ["limit"] = "requests_per_minute", ["retry_after_seconds"] = retryAfter },
            },
        });
    }
}
