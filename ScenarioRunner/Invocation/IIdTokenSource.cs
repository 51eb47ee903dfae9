namespace Sdp.ScenarioRunner.Invocation;

/// <summary>Mints identity tokens for the runner's own identity.</summary>
public interface IIdTokenSource
{
    /// <summary>
    /// A token whose audience is <paramref name="audience"/> (a service's URL, scheme and host only), valid for at least
    /// the length of one run.
    /// </summary>
    Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken);
}
