namespace Sdp.ScenarioRunner.Engine;

/// <summary>One request to the deployment got no complete answer within the request timeout.</summary>
public sealed class ScenarioTimeoutException(string request, TimeSpan timeout)
    : TimeoutException($"{request}: no answer within {timeout.TotalSeconds:0.###} s");
