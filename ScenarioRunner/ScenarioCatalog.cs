using System.Text.Json;
using Sdp.ScenarioRunner.CustomService;
using Sdp.ScenarioRunner.Engine;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner;

/// <summary>
/// The scenario for each problem type: one per template, and for a custom deployment one made from the spec it serves.
/// </summary>
public sealed class ScenarioCatalog(IEnumerable<IScenario> scenarios)
{
    private readonly Dictionary<string, IScenario> byProblemType =
        scenarios.ToDictionary(scenario => scenario.ProblemType, StringComparer.Ordinal);

    public IReadOnlyCollection<string> ProblemTypes => [.. byProblemType.Keys, CustomServiceTemplate.ProblemType];

    public IScenario? Find(string problemType) => byProblemType.GetValueOrDefault(problemType);

    /// <summary>
    /// The scenario of <paramref name="problemType"/>; for <c>custom</c>, the one exercising <paramref name="serviceSpec"/>,
    /// or why there is none (the spec is missing or invalid: its names become the URLs the run calls).
    /// </summary>
    public (IScenario? Scenario, string? Problem) Find(string problemType, ServiceSpec? serviceSpec)
    {
        if (!string.Equals(problemType, CustomServiceTemplate.ProblemType, StringComparison.Ordinal))
        {
            return (Find(problemType), null);
        }

        if (serviceSpec is null)
        {
            return (null, "A custom deployment's scenario is made from its service spec, and none came with the request.");
        }

        var validation = ServiceSpecValidator.Validate(JsonSerializer.SerializeToElement(serviceSpec, ServiceSpecJson.SerializerOptions));
        return validation.IsValid
            ? (new CustomServiceScenario(validation.Spec!), null)
            : (null, "The service spec is invalid: " + string.Join("; ", validation.Violations.Take(5).Select(v => $"{v.Path}: {v.Message}")));
    }
}
