using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Tests.TemplateRuns;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner.Tests.Engine;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void Every_problem_type_the_platform_deploys_has_a_scenario()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddScenarios();
        using var host = builder.Build();

        Assert.Equal(["custom", "distributed_cache", "notification_system", "rate_limiter", "url_shortener"],
            host.Services.GetRequiredService<ScenarioCatalog>().ProblemTypes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_custom_run_without_a_valid_spec_is_an_error_that_says_so()
    {
        var endpoint = new Uri("http://127.0.0.1:1/");
        var hostile = new ServiceSpec([new ResourceSpec("../admin", [new FieldSpec("a", ServiceSpecLimits.String)])]);

        var missing = await ScenarioRuns.RunCustomAsync(null, endpoint);
        var invalid = await ScenarioRuns.RunCustomAsync(hostile, endpoint);

        Assert.Equal(ScenarioReport.Errored, missing.Outcome);
        Assert.Contains("service spec", missing.Error);
        Assert.Equal(ScenarioReport.Errored, invalid.Outcome);
        Assert.Contains("/resources/0/name", invalid.Error);
        Assert.Empty(invalid.Checks);
    }
}
