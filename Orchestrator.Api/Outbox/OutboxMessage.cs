namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>A message saved with the state change it announces, waiting to be published.</summary>
/// <param name="Traceparent">
/// The W3C trace context of the request that saved it, so a message the relay publishes later still joins
/// that request's trace. Null when nothing was being traced.
/// </param>
public sealed record OutboxMessage(long Id, string MessageType, string Payload, string? Traceparent = null);
