using MassTransit;
using Microsoft.Extensions.Options;

namespace Sdp.Simulator.Scenarios.Messaging;

/// <summary>
/// A Simulator runs few scenarios at once (<see cref="ScenarioOptions.ConcurrentRuns"/>): each drives up to 500
/// requests per second, and more at once would measure the Simulator rather than the deployment. The rest wait in the
/// queue, where other Simulator instances can take them.
/// </summary>
public sealed class ScenarioRunRequestedConsumerDefinition : ConsumerDefinition<ScenarioRunRequestedConsumer>
{
    private readonly int concurrentRuns;

    public ScenarioRunRequestedConsumerDefinition(IOptions<ScenarioOptions> options)
    {
        concurrentRuns = options.Value.ConcurrentRuns;
        EndpointName = "simulator-scenario-run-requested";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScenarioRunRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = concurrentRuns;
        endpointConfigurator.ConcurrentMessageLimit = concurrentRuns;
    }
}
