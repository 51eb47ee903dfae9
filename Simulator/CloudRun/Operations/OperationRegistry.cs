using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Operations;

/// <summary>
/// Every operation by name. Finished operations are forgotten after a retention period, as Google's are,
/// so a long-running Simulator does not keep one per deployment forever.
/// </summary>
public sealed class OperationRegistry(TimeProvider timeProvider, IOptions<CloudRunSimulatorOptions> options)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, LongRunningOperation> operations = new(StringComparer.Ordinal);
    private long nextSweepTimestamp;

    /// <summary>Starts an operation in <paramref name="location"/> (<c>projects/p/locations/l</c>).</summary>
    public LongRunningOperation Start(string location, Service metadata)
    {
        SweepIfDue();
        var operation = new LongRunningOperation($"{location}/operations/{Guid.NewGuid()}", metadata, timeProvider.GetUtcNow());
        operations[operation.Name] = operation;
        return operation;
    }

    public LongRunningOperation? Find(string name) => operations.GetValueOrDefault(name);

    private void SweepIfDue()
    {
        var now = timeProvider.GetTimestamp();
        var due = Interlocked.Read(ref nextSweepTimestamp);
        if (now < due || Interlocked.CompareExchange(ref nextSweepTimestamp, now + ToTimestamp(SweepInterval), due) != due)
        {
            return;
        }

        var forgetBefore = timeProvider.GetUtcNow() - options.Value.OperationRetention;
        foreach (var (name, operation) in operations)
        {
            if (operation.Current.Done && operation.CreatedAt < forgetBefore)
            {
                operations.TryRemove(name, out _);
            }
        }
    }

    private long ToTimestamp(TimeSpan interval) => (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
}
