using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sdp.ScenarioRunner.Tests.Engine;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void Every_problem_type_the_platform_deploys_has_a_scenario()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddScenarios();
        using var host = builder.Build();

        Assert.Equal(["distributed_cache", "notification_system", "rate_limiter", "url_shortener"],
            host.Services.GetRequiredService<ScenarioCatalog>().ProblemTypes.Order(StringComparer.Ordinal));
    }
}
