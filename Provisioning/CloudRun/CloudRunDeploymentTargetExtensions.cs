using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;

namespace Microsoft.Extensions.Hosting;

public static class CloudRunDeploymentTargetExtensions
{
    /// <summary>
    /// Registers <see cref="IDeploymentTarget"/> as Cloud Run (or the Simulator), <see cref="ICloudRunClient"/> and
    /// the <see cref="CloudRunOptions"/> from section <c>CloudRun</c>, validated at start-up. Returns the API's HTTP
    /// client so a caller can add what talking to real Cloud Run needs, e.g. an authentication handler:
    /// <c>.AddHttpMessageHandler&lt;GoogleAccessTokenHandler&gt;()</c>.
    /// </summary>
    public static IHttpClientBuilder AddCloudRunDeploymentTarget(this IHostApplicationBuilder builder) =>
        builder.Services.AddCloudRunDeploymentTarget(builder.Configuration);

    /// <inheritdoc cref="AddCloudRunDeploymentTarget(IHostApplicationBuilder)"/>
    public static IHttpClientBuilder AddCloudRunDeploymentTarget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudRunOptions>()
            .Bind(configuration.GetSection(CloudRunOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudRunOptions>, CloudRunOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICloudRunClient, CloudRunClient>();
        services.AddSingleton<IDeploymentTarget, CloudRunDeploymentTarget>();

        // Base address from options; resolved through service discovery when the host adds it (e.g. http://simulator).
        return services.AddHttpClient(CloudRunClient.HttpClientName, (provider, http) =>
            http.BaseAddress = provider.GetRequiredService<IOptions<CloudRunOptions>>().Value.Endpoint);
    }
}
