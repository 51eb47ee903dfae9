using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace Sdp.Orchestrator.Api.Generation;

public static class GenerationExtensions
{
    /// <summary>Key of the model's <see cref="IChatClient"/> in the container.</summary>
    public const string ChatClientKey = "generation";

    /// <summary>
    /// Generated specs: the options (validated at start-up, all or nothing), the model's <see cref="IChatClient"/> and
    /// the generator when a model is configured, and the worker that generates (it fails what it cannot generate).
    /// </summary>
    public static IHostApplicationBuilder AddSpecGeneration(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GenerationOptions.Section);
        builder.Services.AddOptions<GenerationOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        builder.Services.AddSingleton<SpecGenerationStore>();
        builder.Services.AddSingleton<SpecGenerationWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SpecGenerationWorker>());

        if (section.Get<GenerationOptions>() is { IsConfigured: true })
        {
            builder.Services.AddKeyedSingleton(ChatClientKey, (services, _) =>
                CreateChatClient(services.GetRequiredService<IOptions<GenerationOptions>>().Value));
            builder.Services.AddSingleton(services => new SpecGenerator(
                services.GetRequiredKeyedService<IChatClient>(ChatClientKey),
                services.GetRequiredService<IOptions<GenerationOptions>>(),
                services.GetRequiredService<TimeProvider>()));
        }

        return builder;
    }

    /// <summary>
    /// An OpenAI chat client pointed at the configured endpoint. No retries of its own: a 429 or 500 is the
    /// deployment's answer at once (its reason says so), not a minute of hidden back-off.
    /// </summary>
    public static IChatClient CreateChatClient(GenerationOptions options)
    {
        var client = new ChatClient(options.Model,
            // A local server (vLLM, Ollama) wants no key, but the client sends one: any placeholder does.
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = options.Endpoint,
                NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            });
        return client.AsIChatClient();
    }
}
