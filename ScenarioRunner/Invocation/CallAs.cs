namespace Sdp.ScenarioRunner.Invocation;

/// <summary>How the runner identifies itself to a candidate service (<see cref="ScenarioOptions.CallAs"/>).</summary>
public enum CallAs
{
    /// <summary>No credentials: the service is public (Cloud Run <c>invokerIamDisabled</c>), or local.</summary>
    Anonymous,

    /// <summary>
    /// A Google ID token of the runner's service account, with the service's URL as audience, on every request: what a
    /// Cloud Run service that checks invoker IAM (<c>roles/run.invoker</c>) asks of its callers.
    /// </summary>
    IdToken,
}
