namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// One named correctness check. It passes by returning and fails by throwing <see cref="CheckFailedException"/>
/// (or by the deployment timing out or refusing the connection).
/// </summary>
public sealed record ScenarioCheck(string Name, Func<CancellationToken, Task> RunAsync);
