using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Sdp.Orchestrator.Api.Generation;

/// <summary>
/// Section <c>Generation</c>: the model that turns a design of a problem type with no template into a service spec.
/// Any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, a local vLLM or Ollama). All or nothing: without
/// <see cref="Endpoint"/> and <see cref="Model"/> nothing is generated and such a design answers 422.
/// </summary>
public sealed class GenerationOptions
{
    public const string Section = "Generation";

    /// <summary>The OpenAI-compatible base URL, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model's name at <see cref="Endpoint"/>.</summary>
    public string? Model { get; set; }

    /// <summary>A secret: never logged, traced, audited or shown in an error. Empty for a local server that needs none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request to the model may take (the repair round is a second request).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Designs generated at the same time by one replica; the rest wait in <c>generating</c>.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Whether a model is configured (the validator has made sure both parts are there).</summary>
    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(Model);

    /// <summary>
    /// How long a claimed generation is left to the replica that claimed it: both requests to the model and a margin.
    /// A replica that stopped mid-generation leaves the deployment to another (or to itself after a restart) then.
    /// </summary>
    public TimeSpan Lease => Timeout * 2 + TimeSpan.FromSeconds(30);
}

/// <summary>Endpoint and model come together; the endpoint is an absolute http(s) URL.</summary>
public sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var failures = new List<string>();
        var hasModel = !string.IsNullOrWhiteSpace(options.Model);
        if (options.Endpoint is null && hasModel)
        {
            failures.Add("Generation:Model is set but Generation:Endpoint is not; set both to enable generation, or neither.");
        }

        if (options.Endpoint is not null && !hasModel)
        {
            failures.Add("Generation:Endpoint is set but Generation:Model is not; set both to enable generation, or neither.");
        }

        if (options.Endpoint is { } endpoint
            && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("Generation:Endpoint must be an absolute http or https URL.");
        }

        if (options.Endpoint is null && !string.IsNullOrEmpty(options.ApiKey))
        {
            failures.Add("Generation:ApiKey is set but Generation:Endpoint and Generation:Model are not.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
