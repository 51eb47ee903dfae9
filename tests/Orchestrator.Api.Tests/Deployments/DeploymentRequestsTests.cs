using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.Deployments;

public sealed class DeploymentRequestsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    public void A_row_without_settings_asks_for_the_templates_defaults(string? settingsJson)
    {
        Assert.Empty(DeploymentRequests.ReadSettings(settingsJson));
    }

    [Fact]
    public void A_rows_settings_are_passed_on_by_name()
    {
        var request = DeploymentRequests.From(4, "rate_limiter", DateTimeOffset.UnixEpoch,
            """{"RATE_LIMITER_DEFAULT_LIMIT": "20", "RATE_LIMITER_DEFAULT_WINDOW_SECONDS": "10"}""");

        Assert.Equal(4, request.DeploymentId);
        Assert.Equal("20", request.Settings!["RATE_LIMITER_DEFAULT_LIMIT"]);
        Assert.Equal("10", request.Settings["RATE_LIMITER_DEFAULT_WINDOW_SECONDS"]);
    }
}
