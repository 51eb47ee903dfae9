using System.Diagnostics;
using MassTransit;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// Publishes saved outbox messages and marks them sent. Publishing may happen twice (a crash between the
/// publish and the mark, or the relay racing the request): every consumer is idempotent.
/// </summary>
public sealed class OutboxPublisher(IBus bus, OutboxMarks marks, ILogger<OutboxPublisher> logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Publishes a saved message; its mark as sent follows within <see cref="OutboxMarks.Gathering"/>.</summary>
    public async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await SendAsync(message, cancellationToken);
        marks.Add(message.Id);
    }

    /// <summary>
    /// For a message saved with a request that has succeeded whatever happens here: a failed publish is left to the
    /// outbox relay, which retries it. Bounded, so a caller never waits on a broker that is restarting.
    /// </summary>
    public async Task PublishOrLeaveToRelayAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PublishTimeout);
        try
        {
            await PublishAsync(message, deadline.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Publishing outbox message {OutboxId} failed; the relay will publish it",
                message.Id);
        }
    }

    /// <summary>Publishes without marking; the caller marks in its own transaction.</summary>
    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = OutboxSerializer.TypeOf(message.MessageType);
        var payload = OutboxSerializer.Deserialize(message.MessageType, message.Payload);

        // Published later than saved (by the relay): continue the saving request's trace, which MassTransit
        // then carries to the consumers in the message headers.
        using var activity = StartPublishActivity(message);
        await bus.Publish(payload, type, cancellationToken);
    }

    private static Activity? StartPublishActivity(OutboxMessage message)
    {
        if (message.Traceparent is null
            || !ActivityContext.TryParse(message.Traceparent, null, out var saved)
            || Activity.Current?.TraceId == saved.TraceId)
        {
            return null;
        }

        var activity = SdpTelemetry.ActivitySource.StartActivity("outbox publish", ActivityKind.Producer, saved,
            links: Activity.Current is { } relay ? [new ActivityLink(relay.Context)] : null);
        activity?.SetTag("messaging.message.type", message.MessageType);
        activity?.SetTag("sdp.outbox.id", message.Id);
        return activity;
    }
}
