using Sdp.Templates.Catalog;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>A candidate environment whose PostgreSQL and Redis refuse connections (port 1 on loopback).</summary>
public static class CandidateEnv
{
    public static Dictionary<string, string> Unreachable(long deploymentId) => new(StringComparer.Ordinal)
    {
        [CandidateEnvironment.Database] =
            $"Host=127.0.0.1;Port=1;Username=candidate_{deploymentId};Password=pw;Database=sdp;Search Path=candidate_{deploymentId};Timeout=2",
        [CandidateEnvironment.Redis] = $"127.0.0.1:1,user=sub-{deploymentId},password=pw,connectTimeout=500",
        [CandidateEnvironment.RedisKeyPrefix] = $"sub:{deploymentId}:",
        [CandidateEnvironment.DeploymentId] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
