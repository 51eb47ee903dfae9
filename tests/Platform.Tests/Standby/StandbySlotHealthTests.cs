extern alias orchestrator;

using orchestrator::Sdp.Orchestrator.Api.Standby;

namespace Sdp.Platform.Tests.Standby;

/// <summary>The slot prober's rule, on its own: no platform is started for these.</summary>
public sealed class StandbySlotHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_slot_that_answers_is_answering_however_long_it_was_silent_before()
    {
        Assert.Equal(StandbySlotVerdict.Answering, StandbySlotHealth.Judge(true, null, Now, DeadAfter));
        Assert.Equal(StandbySlotVerdict.Answering,
            StandbySlotHealth.Judge(true, Now - TimeSpan.FromHours(1), Now, DeadAfter));
    }

    [Fact]
    public void A_slot_silent_for_the_first_time_is_not_answering_even_when_it_may_be_dead_at_once()
    {
        Assert.Equal(StandbySlotVerdict.NotAnswering, StandbySlotHealth.Judge(false, null, Now, DeadAfter));
        Assert.Equal(StandbySlotVerdict.NotAnswering, StandbySlotHealth.Judge(false, null, Now, TimeSpan.Zero));
    }

    [Fact]
    public void A_slot_silent_for_up_to_DeadAfter_is_kept_and_one_silent_for_longer_is_dead()
    {
        Assert.Equal(StandbySlotVerdict.NotAnswering,
            StandbySlotHealth.Judge(false, Now - TimeSpan.FromSeconds(30), Now, DeadAfter));
        Assert.Equal(StandbySlotVerdict.NotAnswering, StandbySlotHealth.Judge(false, Now - DeadAfter, Now, DeadAfter));
        Assert.Equal(StandbySlotVerdict.Dead,
            StandbySlotHealth.Judge(false, Now - DeadAfter - TimeSpan.FromMilliseconds(1), Now, DeadAfter));
    }

    [Fact]
    public void The_database_side_of_a_removal_draws_the_line_where_the_rule_does()
    {
        var line = StandbySlotHealth.SilentSinceBefore(Now, DeadAfter);
        Assert.Equal(StandbySlotVerdict.NotAnswering, StandbySlotHealth.Judge(false, line, Now, DeadAfter));
        Assert.Equal(StandbySlotVerdict.Dead,
            StandbySlotHealth.Judge(false, line - TimeSpan.FromTicks(10), Now, DeadAfter));
    }

    [Fact]
    public void Default_options_give_a_restarting_Simulator_a_minute_and_probe_each_slot_within_half_a_second()
    {
        var defaults = new StandbyOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(500), defaults.ClaimProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.ProbeInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), defaults.DeadAfter);
        Assert.Equal(3, StandbyClaim.MaxSlotsTried);
    }
}
