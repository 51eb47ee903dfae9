namespace Sdp.Templates.Catalog;

public static class NotificationsTemplate
{
    public static readonly TemplateSetting DeliveryBatchSize = new("NOTIFICATIONS_DELIVERY_BATCH_SIZE", "integer", "50",
        "How many queued notifications (1..1,000) an instance takes from the stream at a time.")
    {
        Minimum = 1,
        Maximum = 1000,
    };

    public static readonly TemplateSetting ReclaimAfterSeconds = new("NOTIFICATIONS_RECLAIM_AFTER_SECONDS", "integer", "30",
        "How long (1..3,600 s) a taken notification may stay unacknowledged (its instance crashed) before another instance delivers it.")
    {
        Minimum = 1,
        Maximum = 3600,
    };

    public static readonly TemplateSetting HeartbeatSeconds = new("NOTIFICATIONS_HEARTBEAT_SECONDS", "integer", "15",
        "Interval (1..300 s) of the comment heartbeat on an open event stream.")
    {
        Minimum = 1,
        Maximum = 300,
    };

    public static TemplateDescriptor Descriptor { get; } = new(
        ProblemType: "notification_system",
        DisplayName: "Notification system",
        Description: "Accepts notifications, queues them on a Redis stream and delivers them once and in order per user, live over server-sent events.",
        Image: "sdp/notification-system:latest",
        // Unqualified names: the candidate role's search_path puts the tables in the candidate's own schema.
        SchemaSql: """
            CREATE TABLE IF NOT EXISTS user_sequences (
                user_id        text PRIMARY KEY,
                last_sequence  bigint NOT NULL
            );
            CREATE TABLE IF NOT EXISTS notifications (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id       text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_-]{1,64}$'),
                channel       text NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'in_app')),
                message       text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 4000),
                status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered')),
                sequence      bigint NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now(),
                delivered_at  timestamptz,
                -- Set once the delivered notification was published: a delivery cut short between the two is finished by the next one.
                published     boolean NOT NULL DEFAULT false,
                UNIQUE (user_id, sequence)
            );
            CREATE INDEX IF NOT EXISTS notifications_queued ON notifications (created_at) WHERE status = 'queued';
            """,
        // Measured by TemplateStartBenchmarks (provision, in-process start, first healthy answer): p50 ≈ 200 ms.
        ExpectedDeploySeconds: 0.2,
        Settings: [DeliveryBatchSize, ReclaimAfterSeconds, HeartbeatSeconds]);
}
