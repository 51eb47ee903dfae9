using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Generation;

/// <summary>What asking the model for a spec came to: a valid spec, or why there is none.</summary>
public abstract record SpecGeneration(GenerationUsage Usage)
{
    public sealed record Generated(ServiceSpec Spec, GenerationUsage Usage) : SpecGeneration(Usage);

    /// <param name="Reason">What was wrong, for the deployment's <c>error</c>: never a secret.</param>
    public sealed record Failed(string Reason, GenerationUsage Usage) : SpecGeneration(Usage);
}

/// <summary>
/// What a generation took: its wall time, the tokens the model counted (summed over its requests), how many requests
/// it made (2 when the first answer needed repair), and whether the spec came from the cache of earlier generations
/// (then no request and no tokens).
/// </summary>
public sealed record GenerationUsage(double DurationMs, long InputTokens, long OutputTokens, int Requests, bool Cached);

/// <summary>How <see cref="GenerationUsage"/> is stored in the deployment's <c>generation</c> column.</summary>
public static class GenerationUsageJson
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } =
        new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
}
