namespace Sdp.ScenarioRunner.Notifications;

/// <summary>One event of a <c>text/event-stream</c>: its <c>id:</c>, <c>event:</c> and (joined) <c>data:</c> lines.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);
