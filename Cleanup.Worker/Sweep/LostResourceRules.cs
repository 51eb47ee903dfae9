using Sdp.Contracts;
using Sdp.Provisioning.Targets;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Whether a ready deployment (or standby slot) lost part of what it runs on, from what exists now: the Redis users
/// and the target's services, read before the deployment was known to be ready. Apart from the reading, so the rule
/// can be tested on its own. The reasons are shown to candidates: what happened, and what to do.
/// </summary>
public static class LostResourceRules
{
    public const string RedisUserVanished =
        "Its Redis user vanished, and its keys with it (a deployment is not silently given an empty store).";

    public const string ServiceVanished = "Its service vanished: Cloud Run no longer has it, so its URL does not answer.";

    public const string ServiceFailed =
        "Its service failed: Cloud Run reports that it stopped and cannot serve, so its URL does not answer.";

    public const string ServiceMoved =
        "Its service now answers at another URL than the one it was given, so that URL no longer reaches it.";

    public const string Ending = " The deployment was failed and removed. Deploy again.";

    /// <summary>
    /// Null when <paramref name="deployment"/> has all it runs on, or its service is still reconciling (coming back
    /// after a restart of Cloud Run, or of the Simulator, is not lost); else the reason, naming each missing part.
    /// </summary>
    public static string? Why(ReadyDeployment deployment, IReadOnlySet<string> redisUsers,
        IReadOnlyDictionary<long, TargetService> services)
    {
        var missing = new List<string>(2);
        if (!redisUsers.Contains(new CandidateResourceNames(deployment.Id).RedisUser))
        {
            missing.Add(RedisUserVanished);
        }

        if (!services.TryGetValue(deployment.Id, out var service))
        {
            missing.Add(ServiceVanished);
        }
        else if (service.Condition == TargetServiceCondition.Failed)
        {
            missing.Add(ServiceFailed);
        }
        else if (service.Condition == TargetServiceCondition.Ready && !AnswersAt(service, deployment.EndpointUrl))
        {
            missing.Add(ServiceMoved);
        }

        return missing.Count == 0 ? null : string.Join(" ", missing) + Ending;
    }

    /// <summary>The URL the deployment was given is one of the service's (a trailing slash aside).</summary>
    private static bool AnswersAt(TargetService service, string? endpointUrl) =>
        Uri.TryCreate(endpointUrl, UriKind.Absolute, out var given) && service.Urls.Contains(given);
}
