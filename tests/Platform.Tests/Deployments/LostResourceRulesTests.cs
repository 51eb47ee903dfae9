extern alias cleanup;

using cleanup::Sdp.Cleanup.Worker.Sweep;
using Sdp.Provisioning.Targets;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>
/// When a ready deployment (or standby slot) counts as lost, from the Redis users and the target's services: the rule
/// on its own, no platform is started for these.
/// </summary>
public sealed class LostResourceRulesTests
{
    private const long Id = 42;
    private static readonly ReadyDeployment Deployment = new(Id, "http://127.0.0.1:41234/", IsStandby: false);
    private static readonly HashSet<string> WithUser = ["default", "sub-42"];

    [Fact]
    public void A_deployment_with_its_Redis_user_and_its_service_serving_at_its_URL_is_not_lost()
    {
        // The URL as the deployment was given it ends in a slash; the service reports it without one.
        Assert.Null(LostResourceRules.Why(Deployment, WithUser, Services(Serving("http://127.0.0.1:41234"))));
    }

    [Fact]
    public void A_service_still_reconciling_is_not_lost_whatever_its_URL()
    {
        // Coming back after a restart of Cloud Run or of the Simulator: no URL yet.
        Assert.Null(LostResourceRules.Why(Deployment, WithUser,
            Services(new TargetService("sdp-sub-42", Id, TargetServiceCondition.Reconciling, []))));
    }

    [Fact]
    public void A_vanished_Redis_user_is_lost_and_says_so()
    {
        var reason = LostResourceRules.Why(Deployment, new HashSet<string> { "default" },
            Services(Serving("http://127.0.0.1:41234")));
        Assert.NotNull(reason);
        Assert.Contains("Redis user vanished", reason);
        Assert.DoesNotContain("service", reason, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Deploy again.", reason);
    }

    [Fact]
    public void A_service_that_is_gone_failed_or_moved_is_lost_with_a_reason_naming_what_happened()
    {
        Assert.Equal(LostResourceRules.ServiceVanished + LostResourceRules.Ending,
            LostResourceRules.Why(Deployment, WithUser, Services()));
        Assert.Equal(LostResourceRules.ServiceFailed + LostResourceRules.Ending,
            LostResourceRules.Why(Deployment, WithUser,
                Services(new TargetService("sdp-sub-42", Id, TargetServiceCondition.Failed, []))));
        Assert.Equal(LostResourceRules.ServiceMoved + LostResourceRules.Ending,
            LostResourceRules.Why(Deployment, WithUser, Services(Serving("http://127.0.0.1:45555"))));
    }

    [Fact]
    public void Another_deployments_service_does_not_count_for_this_one()
    {
        var elsewhere = new Dictionary<long, TargetService>
        {
            [43] = new("sdp-sub-43", 43, TargetServiceCondition.Ready, [new Uri("http://127.0.0.1:41234")]),
        };
        Assert.Equal(LostResourceRules.ServiceVanished + LostResourceRules.Ending,
            LostResourceRules.Why(Deployment, WithUser, elsewhere));
    }

    [Fact]
    public void A_deployment_that_lost_both_says_both()
    {
        var reason = LostResourceRules.Why(Deployment, new HashSet<string>(), Services());
        Assert.Equal(LostResourceRules.RedisUserVanished + " " + LostResourceRules.ServiceVanished
                     + LostResourceRules.Ending, reason);
    }

    [Fact]
    public void A_standby_slot_is_judged_by_the_same_rule()
    {
        var slot = Deployment with { IsStandby = true };
        Assert.Null(LostResourceRules.Why(slot, WithUser, Services(Serving("http://127.0.0.1:41234/"))));
        Assert.NotNull(LostResourceRules.Why(slot, WithUser, Services()));
    }

    private static TargetService Serving(string url) =>
        new("sdp-sub-42", Id, TargetServiceCondition.Ready, [new Uri(url)]);

    private static Dictionary<long, TargetService> Services(params TargetService[] services) =>
        services.ToDictionary(s => s.DeploymentId);
}
