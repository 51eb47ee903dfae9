namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>A message saved with the state change it announces, waiting to be published.</summary>
public sealed record OutboxMessage(long Id, string MessageType, string Payload);
