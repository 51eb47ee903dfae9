using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Sdp.Provisioning.CloudRun;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>Which answers the pipeline retries, after Google's guidance for the Admin API.</summary>
public sealed class CloudRunResiliencePipelineTests
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void Only_unavailable_is_retried_among_answers(HttpStatusCode status, bool retried)
    {
        using var response = new HttpResponseMessage(status);

        Assert.Equal(retried, CloudRunResiliencePipeline.IsRetryable(Outcome.FromResult(response)));
    }

    [Fact]
    public void Transport_failures_and_attempt_timeouts_are_retried_an_open_breaker_is_not()
    {
        Assert.True(CloudRunResiliencePipeline.IsRetryable(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset"))));
        Assert.True(CloudRunResiliencePipeline.IsRetryable(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException())));
        Assert.False(CloudRunResiliencePipeline.IsRetryable(Outcome.FromException<HttpResponseMessage>(new BrokenCircuitException())));
    }

    [Fact]
    public void Retry_after_is_honoured_and_its_absence_means_the_long_back_pressure_delay()
    {
        using var withHeader = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        withHeader.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
        using var without = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Equal(TimeSpan.FromSeconds(12), CloudRunResiliencePipeline.RetryAfter(withHeader, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(30), CloudRunResiliencePipeline.RetryAfter(without, TimeSpan.FromSeconds(30)));
    }
}
