namespace Sdp.ScenarioRunner.Engine;

/// <summary>One run of a scenario: its checks, then the requests of its load phase.</summary>
public interface IScenarioRun
{
    /// <summary>Run in this order; later checks may use what earlier ones created.</summary>
    IReadOnlyList<ScenarioCheck> Checks { get; }

    /// <summary>Creates what the load phase reads (e.g. short codes to resolve). Throwing ends the run as an error.</summary>
    Task PrepareLoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends the load phase's request number <paramref name="index"/> and judges the answer. Timeouts and connection
    /// failures are left to throw: the engine classifies them.
    /// </summary>
    Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken);
}
