using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.Simulator.Scenarios;
using Sdp.Simulator.Scenarios.Engine;

namespace Sdp.Simulator.Tests.Scenarios;

public static class Runners
{
    public static ScenarioRunner Create(TimeSpan? requestTimeout = null, TimeSpan? deadlineMargin = null, TimeProvider? time = null,
        params IScenario[] scenarios) =>
        new(new ScenarioCatalog(scenarios),
            Options.Create(new ScenarioOptions
            {
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
                DeadlineMargin = deadlineMargin ?? TimeSpan.FromSeconds(30),
            }),
            time ?? TimeProvider.System,
            NullLogger<ScenarioRunner>.Instance);
}
