using System.Diagnostics;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// A contract message ready to be saved in the outbox: its type name and payload from <see cref="OutboxSerializer"/>,
/// and the trace context of the work that produced it.
/// </summary>
/// <param name="Traceparent">
/// The W3C trace context when the message was made, so a message the relay publishes later still joins that trace.
/// Null when nothing was being traced.
/// </param>
public sealed record OutboxEntry(string MessageType, string Payload, string? Traceparent)
{
    /// <summary>Serializes <paramref name="message"/> with the current trace context.</summary>
    public static OutboxEntry From<T>(T message) where T : class =>
        new(OutboxSerializer.TypeName<T>(), OutboxSerializer.Serialize(message), CurrentTraceparent());

    /// <summary>The saved row of this entry.</summary>
    public OutboxMessage Saved(long id) => new(id, MessageType, Payload, Traceparent);

    private static string? CurrentTraceparent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
