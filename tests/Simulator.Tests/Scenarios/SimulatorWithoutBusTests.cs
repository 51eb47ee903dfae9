using Microsoft.Extensions.DependencyInjection;
using Sdp.Simulator.Scenarios;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.Scenarios;

/// <summary>Without a <c>messaging</c> connection string the Simulator starts as before, scenarios ready but no bus.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class SimulatorWithoutBusTests(SimulatorFactory simulator)
{
    [Fact]
    public void Scenarios_are_registered_for_every_problem_type_and_no_bus_is()
    {
        var catalog = simulator.Services.GetRequiredService<ScenarioCatalog>();

        Assert.Equal(["distributed_cache", "notification_system", "rate_limiter", "url_shortener"],
            catalog.ProblemTypes.Order(StringComparer.Ordinal));
        Assert.Null(simulator.Services.GetService<MassTransit.IBusControl>());
    }
}
