using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Sdp.Orchestrator.Api.CustomSpecs;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.CustomSpecs;

/// <summary>How <c>POST /api/deployments</c> decides between a template, a given spec and a generated one.</summary>
public sealed class CustomDeploymentsTests
{
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    private static CreateDeploymentRequest Request(string problemType, string? spec = null) =>
        new(problemType, "a design", null, ServiceSpec: spec is null ? null : JsonDocument.Parse(spec).RootElement.Clone());

    private const string ValidSpec = """
        {"resources": [{"name": "messages", "fields": [{"name": "body", "type": "text", "required": true}],
                        "cache": {"ttl_seconds": 30}}]}
        """;

    [Fact]
    public void Custom_with_a_valid_spec_deploys_that_spec()
    {
        var plan = CustomDeployments.Plan(Request("custom", ValidSpec), generationConfigured: false);

        var given = Assert.IsType<DeploymentPlan.GivenSpec>(plan);
        Assert.Equal("messages", given.Spec.Resources.Single().Name);
        Assert.Equal("custom", given.Template.ProblemType);
    }

    [Fact]
    public void Custom_without_a_spec_is_a_400_pointing_at_the_schema()
    {
        var plan = CustomDeployments.Plan(Request("custom"), generationConfigured: true);

        var problem = Assert.IsType<ValidationProblem>(Assert.IsType<DeploymentPlan.Refused>(plan).Problem);
        Assert.Contains(CustomDeployments.SchemaPath, problem.ProblemDetails.Errors["service_spec"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_spec_is_a_400_naming_each_violation_by_its_json_pointer()
    {
        const string hostile = """
            {"resources": [{"name": "../etc", "fields": [{"name": "x; DROP TABLE t", "type": "varchar"}]}]}
            """;

        var plan = CustomDeployments.Plan(Request("custom", hostile), generationConfigured: false);

        var problem = Assert.IsType<ValidationProblem>(Assert.IsType<DeploymentPlan.Refused>(plan).Problem);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Contains("service_spec/resources/0/name", problem.ProblemDetails.Errors.Keys);
        Assert.Contains("service_spec/resources/0/fields/0/name", problem.ProblemDetails.Errors.Keys);
        Assert.Contains("service_spec/resources/0/fields/0/type", problem.ProblemDetails.Errors.Keys);
        Assert.True(problem.ProblemDetails.Extensions.ContainsKey("violations"));
    }

    [Fact]
    public void A_template_is_deployed_as_its_template_even_with_a_model_configured()
    {
        var plan = CustomDeployments.Plan(Request("url_shortener"), generationConfigured: true);

        Assert.Equal("url_shortener", Assert.IsType<DeploymentPlan.FromTemplate>(plan).Template.ProblemType);
    }

    [Fact]
    public void An_unknown_problem_type_is_generated_when_a_model_is_configured()
    {
        var plan = CustomDeployments.Plan(Request("chat_system"), generationConfigured: true);

        Assert.Equal("custom", Assert.IsType<DeploymentPlan.GeneratedSpec>(plan).Template.ProblemType);
    }

    [Fact]
    public void An_unknown_problem_type_without_a_model_is_a_422_saying_how_to_enable_generation_or_pass_a_spec()
    {
        var plan = CustomDeployments.Plan(Request("chat_system"), generationConfigured: false);

        var problem = Assert.IsType<ProblemHttpResult>(Assert.IsType<DeploymentPlan.Refused>(plan).Problem);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        foreach (var hint in new[] { "Generation__Endpoint", "Generation__Model", "Generation__ApiKey", "dotnet run --project AppHost", "service_spec" })
        {
            Assert.Contains(hint, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_spec_with_a_templates_problem_type_is_refused_before_anything_else()
    {
        var errors = Request("url_shortener", ValidSpec).Validate(MaxTtl);

        Assert.Contains("service_spec", errors.Keys);
    }
}
