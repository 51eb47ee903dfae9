using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.Deployments;

/// <summary>What a client waiting on <c>wait_for</c> is told, generating included.</summary>
public sealed class DeploymentStateTests
{
    [Theory]
    [InlineData(DeploymentState.Queued)]
    [InlineData(DeploymentState.Provisioning)]
    [InlineData(DeploymentState.Ready)]
    public void A_deployment_still_generating_its_spec_has_not_reached_any_later_state(string awaited)
    {
        Assert.False(DeploymentState.HasSettled(DeploymentState.Generating, awaited));
    }

    [Fact]
    public void A_wait_for_generating_is_over_once_the_spec_is_there()
    {
        Assert.True(DeploymentState.HasSettled(DeploymentState.Queued, DeploymentState.Generating));
        Assert.True(DeploymentState.HasSettled(DeploymentState.Ready, DeploymentState.Generating));
    }

    [Fact]
    public void A_generation_that_failed_ends_a_wait_for_ready()
    {
        Assert.True(DeploymentState.HasSettled(DeploymentState.Failed, DeploymentState.Ready));
    }

    [Fact]
    public void Generating_is_a_state_clients_may_filter_and_wait_for()
    {
        Assert.Contains(DeploymentState.Generating, DeploymentState.All);
    }
}
