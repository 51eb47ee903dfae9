using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Tests.Quotas;

public sealed class ScenarioRunQuotaTests
{
    private static readonly DateTimeOffset ExpectedEnd = new(2026, 12, 2, 9, 0, 20, TimeSpan.Zero);

    [Fact]
    public void A_quota_of_four_runs_admits_a_fourth_and_refuses_a_fifth_until_the_oldest_is_expected_to_end()
    {
        Assert.Null(ScenarioRunQuota.Check(limit: 4, inFlight: 3, ExpectedEnd));

        var refused = ScenarioRunQuota.Check(limit: 4, inFlight: 4, ExpectedEnd);

        Assert.Equal(QuotaExceeded.ScenarioRunsInFlight, refused?.Quota);
        Assert.Equal(4, refused?.Limit);
        Assert.Equal(ExpectedEnd, refused?.FreesAt);
    }
}
