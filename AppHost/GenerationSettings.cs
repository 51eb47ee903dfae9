using Microsoft.Extensions.Configuration;

namespace Sdp.AppHost;

/// <summary>
/// Passes the Generation settings from the AppHost's configuration (its environment, e.g.
/// <c>Generation__Endpoint=… dotnet run --project AppHost</c>, or its arguments) to the Orchestrator. The key goes as a
/// secret parameter, so the dashboard masks it; a setting not given is not passed at all, and the Orchestrator's own
/// default stands.
/// </summary>
public static class GenerationSettings
{
    public const string Section = "Generation";

    public static void PassTo(IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> orchestrator)
    {
        var generation = builder.Configuration.GetSection(Section);
        foreach (var name in new[] { "Endpoint", "Model", "Timeout" })
        {
            if (generation[name] is { Length: > 0 } value)
            {
                orchestrator.WithEnvironment($"{Section}__{name}", value);
            }
        }

        if (generation["ApiKey"] is { Length: > 0 } key)
        {
            var secret = builder.AddParameter("generation-api-key", key, secret: true);
            orchestrator.WithEnvironment($"{Section}__ApiKey", secret);
        }
    }
}
