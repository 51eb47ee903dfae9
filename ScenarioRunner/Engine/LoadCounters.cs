namespace Sdp.ScenarioRunner.Engine;

/// <summary>The load phase's running totals, read by the progress reporter while requests are in flight.</summary>
public sealed class LoadCounters
{
    private long planned;
    private long sent;
    private long completed;

    public long Planned => Interlocked.Read(ref planned);

    public long Sent => Interlocked.Read(ref sent);

    public long Completed => Interlocked.Read(ref completed);

    internal void Plan(long requests) => Interlocked.Exchange(ref planned, requests);

    internal void RecordSent() => Interlocked.Increment(ref sent);

    internal void RecordCompleted() => Interlocked.Increment(ref completed);
}
