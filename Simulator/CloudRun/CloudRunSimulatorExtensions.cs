using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Api;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Simulator.CloudRun.Services;
using Sdp.Templates.Hosting;

namespace Sdp.Simulator.CloudRun;

public static class CloudRunSimulatorExtensions
{
    /// <summary>The Cloud Run Admin API v2 stand-in: registries, the in-process runtime and its options.</summary>
    public static IServiceCollection AddCloudRunSimulator(this IServiceCollection services)
    {
        services.AddOptions<CloudRunSimulatorOptions>()
            .BindConfiguration(CloudRunSimulatorOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudRunSimulatorOptions>, CloudRunSimulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TemplateHost>();
        services.AddSingleton<ServiceRegistry>();
        services.AddSingleton<OperationRegistry>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<ServiceStore>();
        services.AddSingleton(provider => new ServicePorts(provider.GetRequiredService<IOptions<CloudRunSimulatorOptions>>().Value));
        // Disposed with the host: stopping the Simulator stops every hosted app.
        services.AddSingleton<ServiceRuntime>();
        // Without CloudRunSimulator:StateDirectory it has nothing to restore and returns at once.
        services.AddHostedService<ServiceRestorer>();
        return services;
    }

    /// <summary>
    /// Maps <c>/v2/projects/{project}/locations/{location}/services</c> and <c>.../operations</c>, plus
    /// <c>/simulator/faults</c> to inject faults into them.
    /// </summary>
    public static IEndpointRouteBuilder MapCloudRunApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapServicesEndpoints();
        endpoints.MapOperationsEndpoints();
        endpoints.MapFaultsEndpoints();
        return endpoints;
    }

    /// <summary>Applies injected faults to the Cloud Run API; call before routing reaches the endpoints.</summary>
    public static IApplicationBuilder UseCloudRunFaultInjection(this IApplicationBuilder app) =>
        app.UseMiddleware<FaultInjectionMiddleware>();
}
