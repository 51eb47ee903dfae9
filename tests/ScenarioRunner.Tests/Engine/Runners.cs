using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.ScenarioRunner;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

public static class Runners
{
    public static ScenarioEngine Create(TimeSpan? requestTimeout = null, TimeSpan? deadlineMargin = null, TimeProvider? time = null,
        params IScenario[] scenarios) =>
        new(new ScenarioCatalog(scenarios),
            Options.Create(new ScenarioOptions
            {
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
                DeadlineMargin = deadlineMargin ?? TimeSpan.FromSeconds(30),
            }),
            time ?? TimeProvider.System,
            NullLogger<ScenarioEngine>.Instance);
}
