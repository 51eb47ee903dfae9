namespace Sdp.Templates.Catalog;

/// <summary>
/// The health endpoints every candidate service answers. The templates map them; the provisioner and the standby
/// prober ask them, so both sides read the paths from here.
/// </summary>
public static class CandidateHealthPaths
{
    /// <summary>200 when the service's PostgreSQL and Redis answer, 503 otherwise.</summary>
    public const string Health = "/health";

    /// <summary>200 while the process serves; touches no store, so it is cheap enough to ask on every claim.</summary>
    public const string Alive = "/alive";
}
