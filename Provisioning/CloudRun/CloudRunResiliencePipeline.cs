using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The resilience pipeline of the Cloud Run HTTP client, after Google's guidance for the Admin API: retry only
/// UNAVAILABLE (503) and transport failures, with jittered exponential backoff; treat RESOURCE_EXHAUSTED (429)
/// as back-pressure and wait long; never retry an answer that would only repeat itself (400, 403, 404, 409).
/// From outside in: overall deadline, back-pressure wait, retry, circuit breaker, per-attempt timeout.
/// </summary>
public static class CloudRunResiliencePipeline
{
    public const string Name = "cloud-run";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, CloudRunOptions options)
    {
        // The whole call, waits included, ends with the deployment's deadline.
        pipeline.AddTimeout(options.ServiceDeadline);

        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            // Back-pressure has no attempt limit of its own: the overall deadline bounds it.
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                RetryAfter(args.Outcome.Result, options.BackPressureDelay)),
        });

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome)),
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsServerOrTransportFailure(args.Outcome)),
        });

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>503 and failures that never produced an answer; everything else would fail the same way again.</summary>
    public static bool IsRetryable(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.ServiceUnavailable } => true,
        _ => false,
    };

    /// <summary>What counts against the breaker: the API (or the way to it) is unwell, not the request wrong.</summary>
    public static bool IsServerOrTransportFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>The server's Retry-After (seconds or a date) when it gave one, otherwise <paramref name="fallback"/>.</summary>
    public static TimeSpan RetryAfter(HttpResponseMessage? response, TimeSpan fallback)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta && delta >= TimeSpan.Zero)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return fallback;
    }
}
