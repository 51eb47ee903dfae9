using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner;

/// <summary>The scenario for each problem type.</summary>
public sealed class ScenarioCatalog(IEnumerable<IScenario> scenarios)
{
    private readonly Dictionary<string, IScenario> byProblemType =
        scenarios.ToDictionary(scenario => scenario.ProblemType, StringComparer.Ordinal);

    public IReadOnlyCollection<string> ProblemTypes => byProblemType.Keys;

    public IScenario? Find(string problemType) => byProblemType.GetValueOrDefault(problemType);
}
