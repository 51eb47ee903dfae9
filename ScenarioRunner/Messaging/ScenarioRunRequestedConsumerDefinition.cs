using MassTransit;
using Microsoft.Extensions.Options;

namespace Sdp.ScenarioRunner.Messaging;

/// <summary>
/// A runner carries out few scenarios at once (<see cref="ScenarioOptions.ConcurrentRuns"/>): each drives up to 500
/// requests per second, and more at once would measure the runner rather than the deployment. The rest wait in the
/// queue, where other runner replicas take them (competing consumers). Prefetching no more than it runs keeps a
/// waiting request free for an idle replica, and a killed runner hands back only the runs it had started.
/// </summary>
public sealed class ScenarioRunRequestedConsumerDefinition : ConsumerDefinition<ScenarioRunRequestedConsumer>
{
    private readonly int concurrentRuns;

    public ScenarioRunRequestedConsumerDefinition(IOptions<ScenarioOptions> options)
    {
        concurrentRuns = options.Value.ConcurrentRuns;
        EndpointName = "scenario-runner";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScenarioRunRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = concurrentRuns;
        endpointConfigurator.ConcurrentMessageLimit = concurrentRuns;
    }
}
