using System.Text.Json;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.CustomSpecs;

/// <summary>
/// Decides how a request is deployed: a template by its problem type; <c>custom</c> with the <c>service_spec</c> it
/// carries (validated here: an invalid spec is a 400 naming each violation, and nothing is saved); any other problem
/// type as a spec a model generates from the design text, when one is configured (else 422, saying how to enable
/// generation or pass a spec).
/// </summary>
public static class CustomDeployments
{
    /// <summary>The catalogue's entry for deployments that run a service spec.</summary>
    public const string ProblemType = CustomServiceTemplate.ProblemType;

    public const string SchemaPath = "/api/templates/custom/schema";

    public static DeploymentPlan Plan(CreateDeploymentRequest request, bool generationConfigured)
    {
        var problemType = request.ProblemType!;
        if (problemType != ProblemType && TemplateCatalog.Find(problemType) is { } template)
        {
            return new DeploymentPlan.FromTemplate(template);
        }

        var custom = TemplateCatalog.Find(ProblemType)
            ?? throw new InvalidOperationException($"The catalogue has no '{ProblemType}' entry.");
        if (problemType == ProblemType)
        {
            if (request.ServiceSpec is not { ValueKind: not JsonValueKind.Null } given)
            {
                return new DeploymentPlan.Refused(TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["service_spec"] = [$"service_spec is required with problem_type '{ProblemType}'; its JSON Schema is at {SchemaPath}."],
                }, title: "Invalid deployment request"));
            }

            var validation = ServiceSpecValidator.Validate(given);
            return validation is { IsValid: true, Spec: { } spec }
                ? new DeploymentPlan.GivenSpec(custom, spec)
                : new DeploymentPlan.Refused(InvalidSpec(validation.Violations));
        }

        if (generationConfigured)
        {
            return new DeploymentPlan.GeneratedSpec(custom);
        }

        var supported = TemplateCatalog.All.Select(t => t.ProblemType).ToArray();
        return new DeploymentPlan.Refused(TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Unsupported problem type",
            detail: $"Problem type '{problemType}' has no template, and no model is configured to generate a service spec " +
                    "for it. To enable generation, set Generation__Endpoint (an OpenAI-compatible base URL), " +
                    "Generation__Model and Generation__ApiKey in the environment of `dotnet run --project AppHost`; or " +
                    $"deploy a spec directly with problem_type '{ProblemType}' and a service_spec (its JSON Schema is at " +
                    $"{SchemaPath}). Supported: {string.Join(", ", supported)}.",
            extensions: new Dictionary<string, object?> { ["supported_problem_types"] = supported }));
    }

    /// <summary>
    /// 400 naming each violation: in <c>errors</c> keyed by <c>service_spec</c> and the violation's JSON pointer, and
    /// as a list of <c>violations</c> (path and message).
    /// </summary>
    public static IResult InvalidSpec(IReadOnlyList<SpecViolation> violations)
    {
        var errors = violations
            .GroupBy(v => $"service_spec{v.Path}")
            .ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
        return TypedResults.ValidationProblem(errors, title: "Invalid service spec",
            detail: $"The service spec has {violations.Count} violation(s) of its schema ({SchemaPath}).",
            extensions: new Dictionary<string, object?>
            {
                ["violations"] = violations.Select(v => new { path = v.Path, message = v.Message }).ToArray(),
            });
    }
}
