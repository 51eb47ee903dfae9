namespace Sdp.Orchestrator.Api.Standby;

/// <summary>What one probe of a ready slot makes of it.</summary>
public enum StandbySlotVerdict
{
    /// <summary>It answered: claims may take it (again).</summary>
    Answering,

    /// <summary>
    /// It did not answer, not for long yet: claims skip it, but it keeps its place in the pool, since a restarting
    /// Cloud Run (or Simulator) brings its services back after a while.
    /// </summary>
    NotAnswering,

    /// <summary>It has not answered for longer than <see cref="StandbyOptions.DeadAfter"/>: removed and replaced.</summary>
    Dead,
}

/// <summary>The slot prober's rule, apart from the probing and the database so it can be tested on its own.</summary>
public static class StandbySlotHealth
{
    /// <summary>
    /// <paramref name="unansweredSince"/> is when the slot was first found silent (null: it answered when last
    /// asked); a slot silent now and never before is silent since <paramref name="now"/>.
    /// </summary>
    public static StandbySlotVerdict Judge(bool answered, DateTimeOffset? unansweredSince, DateTimeOffset now,
        TimeSpan deadAfter)
    {
        if (answered)
        {
            return StandbySlotVerdict.Answering;
        }

        return now - (unansweredSince ?? now) > deadAfter ? StandbySlotVerdict.Dead : StandbySlotVerdict.NotAnswering;
    }

    /// <summary>
    /// The latest time a slot may have been silent since and be <see cref="StandbySlotVerdict.Dead"/> now: the same
    /// rule as <see cref="Judge"/>, for the database's side of the removal.
    /// </summary>
    public static DateTimeOffset SilentSinceBefore(DateTimeOffset now, TimeSpan deadAfter) => now - deadAfter;
}
