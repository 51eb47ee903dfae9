using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Operations;

/// <summary>One <c>google.longrunning.Operation</c>; readers see an immutable snapshot, swapped once when it finishes.</summary>
public sealed class LongRunningOperation
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Operation current;

    public LongRunningOperation(string name, Service metadata, DateTimeOffset createdAt)
    {
        CreatedAt = createdAt;
        current = new Operation { Name = name, Metadata = new PackedService(metadata), Done = false };
    }

    public string Name => Current.Name;

    public DateTimeOffset CreatedAt { get; }

    public Operation Current => Volatile.Read(ref current);

    /// <summary>Completes when the operation is done, successfully or not.</summary>
    public Task Completion => completion.Task;

    public void Succeed(Service response) =>
        Finish(Current with { Done = true, Metadata = new PackedService(response), Response = new PackedService(response) });

    public void Fail(Status error) => Finish(Current with { Done = true, Error = error });

    private void Finish(Operation finished)
    {
        Volatile.Write(ref current, finished);
        completion.TrySetResult();
    }
}
