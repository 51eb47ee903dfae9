namespace Sdp.Orchestrator.Api.Scenarios;

public static class ScenariosExtensions
{
    public static IHostApplicationBuilder AddScenarios(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ScenarioRunStore>();
        return builder;
    }
}
