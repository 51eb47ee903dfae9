namespace Sdp.Templates.Catalog;

public static class RateLimiterTemplate
{
    // A rule's bounds: the API checks rules against them, the schema's CHECK constraints hold the same figures.
    public const int MinLimit = 1;
    public const int MaxLimit = 1_000_000;
    public const int MinWindowSeconds = 1;
    public const int MaxWindowSeconds = 86_400;

    public static readonly TemplateSetting DefaultLimit = new("RATE_LIMITER_DEFAULT_LIMIT", "integer", "100",
        "Limit (units of cost per window, 1..1,000,000) of the rule named 'default' while it has not been changed through the API.")
    {
        Minimum = MinLimit,
        Maximum = MaxLimit,
    };

    public static readonly TemplateSetting DefaultWindowSeconds = new("RATE_LIMITER_DEFAULT_WINDOW_SECONDS", "integer", "60",
        "Window (1..86,400 s) of the rule named 'default' while it has not been changed through the API.")
    {
        Minimum = MinWindowSeconds,
        Maximum = MaxWindowSeconds,
    };

    public static readonly TemplateSetting RuleCacheMilliseconds = new("RATE_LIMITER_RULE_CACHE_MILLISECONDS", "integer", "500",
        "How long (0..1,000 ms) an instance reuses a rule it read from PostgreSQL; a rule change reaches every instance within this time.")
    {
        Minimum = 0,
        Maximum = 1000,
    };

    public static TemplateDescriptor Descriptor { get; } = new(
        ProblemType: "rate_limiter",
        DisplayName: "Rate limiter",
        Description: "Exact sliding-window rate limiting per rule and key: rules in PostgreSQL, counters in Redis updated atomically by a Lua script.",
        Image: "sdp/rate-limiter:latest",
        // Unqualified names: the candidate role's search_path puts the table in the candidate's own schema.
        // The 'default' rule is created here with the settings' defaults and marked from_settings; the app
        // applies the settings to it until the API changes it.
        SchemaSql: """
            CREATE TABLE IF NOT EXISTS rules (
                name            text PRIMARY KEY CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
                limit_value     integer NOT NULL CHECK (limit_value BETWEEN 1 AND 1000000),
                window_seconds  integer NOT NULL CHECK (window_seconds BETWEEN 1 AND 86400),
                created_at      timestamptz NOT NULL DEFAULT now(),
                updated_at      timestamptz NOT NULL DEFAULT now(),
                from_settings   boolean NOT NULL DEFAULT false
            );
            INSERT INTO rules (name, limit_value, window_seconds, from_settings)
            VALUES ('default', 100, 60, true)
            ON CONFLICT (name) DO NOTHING;
            """,
        // Measured by TemplateStartBenchmarks (provision, in-process start, first healthy answer): p50 ≈ 120 ms.
        ExpectedDeploySeconds: 0.12,
        Settings: [DefaultLimit, DefaultWindowSeconds, RuleCacheMilliseconds]);
}
