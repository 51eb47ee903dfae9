namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// How an operation is polled: first after <see cref="InitialDelay"/>, then with the delay doubled each time up
/// to <see cref="MaxDelay"/>, giving up after <see cref="Timeout"/>. Against the Simulator (services start in
/// about 10 ms) a few milliseconds is right; against Cloud Run, about a second.
/// With <see cref="UseOperationWait"/> the client long-polls <c>operations/{id}:wait</c> instead, which answers
/// as soon as the operation is done (no delay between done and noticed).
/// </summary>
public sealed record CloudRunPollSettings(TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan Timeout, bool UseOperationWait = false)
{
    public TimeSpan NextDelay(TimeSpan delay)
    {
        var doubled = delay * 2;
        return doubled < MaxDelay ? doubled : MaxDelay;
    }
}
