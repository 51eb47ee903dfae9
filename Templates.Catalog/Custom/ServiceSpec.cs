namespace Sdp.Templates.Catalog.Custom;

// A service spec: the data a custom deployment runs on, never code. The generic service (image custom-service)
// serves it; ServiceSpecValidator decides what is acceptable, ServiceSpecSchema publishes the same rules.

/// <summary>A custom service: its resources, each served as JSON CRUD at <c>/api/&lt;resource name&gt;</c>.</summary>
public sealed record ServiceSpec(IReadOnlyList<ResourceSpec> Resources);

/// <summary>One resource: a table in the candidate's schema and its endpoints.</summary>
/// <param name="Cache">Cache-aside in Redis for reads by id; none when null.</param>
/// <param name="RateLimit">A token bucket over the resource's endpoints; none when null.</param>
public sealed record ResourceSpec(
    string Name,
    IReadOnlyList<FieldSpec> Fields,
    CacheSpec? Cache = null,
    RateLimitSpec? RateLimit = null);

/// <summary>One field of a resource: a column of its table and a member of its JSON bodies.</summary>
/// <param name="Type">One of <see cref="ServiceSpecLimits.FieldTypes"/>.</param>
/// <param name="Indexed">Look-ups by this field are served (<c>GET /api/&lt;resource&gt;?&lt;field&gt;=value</c>) from an index.</param>
/// <param name="MaxLength">Characters a <c>string</c> or <c>text</c> value may hold; <see cref="ServiceSpecLimits.MaxLengthOf"/> gives the default.</param>
public sealed record FieldSpec(
    string Name,
    string Type,
    bool Required = false,
    bool Indexed = false,
    int? MaxLength = null);

/// <summary>Reads by id are cached for <see cref="TtlSeconds"/>; a write removes the entry.</summary>
public sealed record CacheSpec(int TtlSeconds);

/// <summary>A token bucket: <see cref="RequestsPerSecond"/> refill, up to <see cref="Burst"/> at once.</summary>
public sealed record RateLimitSpec(int RequestsPerSecond, int Burst);
