namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>The API's deployment JSON, as a client reads it.</summary>
public sealed record DeploymentView(
    long Id,
    string State,
    string ProblemType,
    string? SubmissionId,
    bool Success,
    string? EndpointUrl,
    double? DeploymentTimeSeconds,
    ResourcesView Resources,
    TimestampsView Timestamps,
    TimingsView? Timings,
    string? Error,
    bool WarmStart = false,
    System.Text.Json.JsonElement? ServiceSpec = null,
    bool Generated = false,
    GenerationView? Generation = null);

/// <summary>What generating a deployment's spec took.</summary>
public sealed record GenerationView(double DurationMs, long InputTokens, long OutputTokens, int Requests, bool Cached);

public sealed record ResourcesView(string DatabaseSchema, string RedisPrefix);

public sealed record TimestampsView(DateTimeOffset Queued, DateTimeOffset? Provisioning, DateTimeOffset? Ready,
    DateTimeOffset? Cleaning, DateTimeOffset? Deleted, DateTimeOffset? Failed, DateTimeOffset? Generating = null);

public sealed record TimingsView(double DatabaseMs, double RedisMs, double ServiceMs, double HealthMs, double TotalMs);

public sealed record DeploymentPageView(IReadOnlyList<DeploymentView> Items, string? NextCursor);
