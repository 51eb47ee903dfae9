using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Tests.Quotas;

/// <summary>The Retry-After a refused tenant is told.</summary>
public sealed class QuotaExceededTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_rounds_a_part_second_up()
    {
        Assert.Equal(3, Exceeded(Now.AddSeconds(2.1)).RetryAfterSeconds(Now));
        Assert.Equal(2, Exceeded(Now.AddSeconds(2)).RetryAfterSeconds(Now));
    }

    [Fact]
    public void Room_expected_already_still_asks_for_a_second_so_the_client_does_not_retry_at_once()
    {
        Assert.Equal(1, Exceeded(Now.AddSeconds(-30)).RetryAfterSeconds(Now));
        Assert.Equal(1, Exceeded(Now).RetryAfterSeconds(Now));
    }

    [Fact]
    public void Without_a_time_room_frees_there_is_no_retry_after()
    {
        Assert.Null(Exceeded(null).RetryAfterSeconds(Now));
    }

    private static QuotaExceeded Exceeded(DateTimeOffset? freesAt) =>
        new(QuotaExceeded.LiveDeployments, 2, freesAt, "Delete one.");
}
