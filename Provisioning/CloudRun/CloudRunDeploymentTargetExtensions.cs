using Google.Apis.Auth.OAuth2;
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
    /// client, with its resilience pipeline, write pacing and authentication (set by <c>CloudRun:Authentication</c>)
    /// already in place.
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
        services.TryAddSingleton<CloudRunWritePacer>();
        services.TryAddSingleton<CloudRunLocationPool>();
        services.TryAddSingleton<ITokenAccess, GoogleDefaultCredentialAccess>();
        services.TryAddTransient<CloudRunWritePacingHandler>();
        services.TryAddTransient<GoogleAccessTokenHandler>();
        services.AddSingleton<IDeploymentTarget, CloudRunDeploymentTarget>();

        // Base address from options; resolved through service discovery when the host adds it (e.g. http://simulator).
        var http = services.AddHttpClient(CloudRunClient.HttpClientName, (provider, http) =>
            http.BaseAddress = provider.GetRequiredService<IOptions<CloudRunOptions>>().Value.Endpoint);

        // The host's standard handler retries what Google says not to (e.g. 429 at once, POSTs on 5xx in general);
        // this client gets its own pipeline instead.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        http.AddResilienceHandler(CloudRunResiliencePipeline.Name, (pipeline, context) =>
            CloudRunResiliencePipeline.Configure(pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<CloudRunOptions>>().Value));

        // Inside the retries, so each attempt is paced and carries a fresh token.
        http.AddHttpMessageHandler<CloudRunWritePacingHandler>();
        http.AddHttpMessageHandler<GoogleAccessTokenHandler>();

        // Used only with CloudRun:SecretMode=SecretManager; same identity, and the same retry rules (Google's
        // guidance is the same for every API), as the Cloud Run client.
        services.TryAddSingleton<SecretManagerClient>();
        var secretManager = services.AddHttpClient(SecretManagerClient.HttpClientName, (provider, client) =>
            client.BaseAddress = provider.GetRequiredService<IOptions<CloudRunOptions>>().Value.SecretManagerEndpoint);
#pragma warning disable EXTEXP0001 // As above.
        secretManager.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        secretManager.AddResilienceHandler(SecretManagerClient.HttpClientName, (pipeline, context) =>
            CloudRunResiliencePipeline.Configure(pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<CloudRunOptions>>().Value));
        secretManager.AddHttpMessageHandler<GoogleAccessTokenHandler>();
        return http;
    }
}
