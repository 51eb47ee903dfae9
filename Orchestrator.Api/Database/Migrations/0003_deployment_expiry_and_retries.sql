-- Every deployment expires; work stuck in a state is retried a bounded number of times, with the back-off
-- kept here (the broker has no delayed redelivery), then failed.
ALTER TABLE platform.deployments
    ADD COLUMN expires_at       timestamptz,
    ADD COLUMN cleanup_reason   text,
    ADD COLUMN attempts         integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at  timestamptz;

UPDATE platform.deployments SET expires_at = created_at + interval '2 hours' WHERE expires_at IS NULL;
-- The API always sets it (Deployments:DefaultTtl or the request's ttl_minutes); rows written by any other path
-- still expire, after the default 2 hours.
ALTER TABLE platform.deployments
    ALTER COLUMN expires_at SET NOT NULL,
    ALTER COLUMN expires_at SET DEFAULT now() + interval '2 hours';

-- The deadline watcher's two questions, answered without scanning finished deployments.
CREATE INDEX deployments_expiry ON platform.deployments (expires_at)
    WHERE state IN ('queued', 'provisioning', 'ready');
CREATE INDEX deployments_in_flight ON platform.deployments (updated_at)
    WHERE state IN ('queued', 'provisioning', 'cleaning');
