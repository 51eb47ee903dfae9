namespace Sdp.Templates.Catalog.Custom;

/// <summary>Specs for two common designs; the schema lists them as <c>examples</c> and the tests deploy them.</summary>
public static class ServiceSpecExamples
{
    /// <summary>Users, conversations and their messages; messages are cached and rate limited.</summary>
    public static ServiceSpec ChatSystem { get; } = new(
    [
        new ResourceSpec("users",
        [
            new FieldSpec("username", ServiceSpecLimits.String, Required: true, Indexed: true, MaxLength: 40),
            new FieldSpec("display_name", ServiceSpecLimits.String, MaxLength: 100),
            new FieldSpec("last_seen_at", ServiceSpecLimits.Timestamp),
        ], Cache: new CacheSpec(TtlSeconds: 60)),
        new ResourceSpec("conversations",
        [
            new FieldSpec("title", ServiceSpecLimits.String, MaxLength: 200),
            new FieldSpec("is_group", ServiceSpecLimits.Boolean, Required: true),
        ]),
        new ResourceSpec("messages",
        [
            new FieldSpec("conversation_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
            new FieldSpec("sender_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
            new FieldSpec("body", ServiceSpecLimits.Text, Required: true, MaxLength: 4_000),
            new FieldSpec("sent_at", ServiceSpecLimits.Timestamp, Required: true),
        ], Cache: new CacheSpec(TtlSeconds: 30), RateLimit: new RateLimitSpec(RequestsPerSecond: 200, Burst: 400)),
    ]);

    /// <summary>Authors' posts, who follows whom, and each reader's feed entries.</summary>
    public static ServiceSpec NewsFeed { get; } = new(
    [
        new ResourceSpec("posts",
        [
            new FieldSpec("author_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
            new FieldSpec("body", ServiceSpecLimits.Text, Required: true, MaxLength: 10_000),
            new FieldSpec("like_count", ServiceSpecLimits.Integer),
            new FieldSpec("score", ServiceSpecLimits.Number),
            new FieldSpec("published_at", ServiceSpecLimits.Timestamp, Required: true),
        ], Cache: new CacheSpec(TtlSeconds: 120)),
        new ResourceSpec("follows",
        [
            new FieldSpec("follower_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
            new FieldSpec("followee_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
        ]),
        new ResourceSpec("feed_items",
        [
            new FieldSpec("reader_id", ServiceSpecLimits.Uuid, Required: true, Indexed: true),
            new FieldSpec("post_id", ServiceSpecLimits.Uuid, Required: true),
            new FieldSpec("rank", ServiceSpecLimits.Number),
        ], RateLimit: new RateLimitSpec(RequestsPerSecond: 500, Burst: 1_000)),
    ]);

    public static IReadOnlyList<ServiceSpec> All { get; } = [ChatSystem, NewsFeed];
}
