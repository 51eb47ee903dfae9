namespace Sdp.Simulator.CloudRun.Faults;

/// <summary>
/// The faults to inject, as posted to <c>POST /simulator/faults</c>. Counts are consumed one request (or one
/// operation) at a time; unset fields inject nothing.
/// </summary>
public sealed record SimulatedFaults
{
    /// <summary>Hold each matching answer this long after the request took effect (what a client timeout meets).</summary>
    public int? LatencyMs { get; init; }

    /// <summary>How many answers get <see cref="LatencyMs"/>; unset: every one.</summary>
    public int? LatencyCount { get; init; }

    /// <summary>The next N matching requests answer 429 RESOURCE_EXHAUSTED without taking effect.</summary>
    public int? Status429Count { get; init; }

    /// <summary>The Retry-After (seconds) sent with injected 429s; unset: none.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The next N matching requests answer 503 UNAVAILABLE without taking effect.</summary>
    public int? Status503Count { get; init; }

    /// <summary>The next N create operations finish with an error instead of a running service.</summary>
    public int? OperationErrorCount { get; init; }

    /// <summary>
    /// Create operations finish no sooner than this after they start; services kept from before a restart start again
    /// no sooner than this after the Simulator does.
    /// </summary>
    public int? OperationDelayMs { get; init; }

    /// <summary>Only requests with this HTTP method get request faults (e.g. <c>POST</c>); unset: all.</summary>
    public string? Method { get; init; }
}
