-- Standby deployments: slots built ahead of demand (role, schema, Redis user and a started service), so that a
-- request whose template and settings match one is ready at once. A slot's id comes from the deployments' own
-- sequence, because every resource of a deployment is named by its id: the request that claims the slot becomes
-- deployment <id>, and nothing needs renaming.
CREATE TABLE platform.standby_deployments (
    id            bigint PRIMARY KEY,
    problem_type  text NOT NULL,
    settings      jsonb NOT NULL DEFAULT '{}',
    -- removing: given up or beyond the pool's size; the row goes when the cleanup reports the resources gone.
    state         text NOT NULL CHECK (state IN ('provisioning', 'ready', 'failed', 'removing')),
    endpoint_url  text,
    timings       jsonb,
    error         text,
    requested_at  timestamptz NOT NULL,
    ready_at      timestamptz,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX standby_deployments_claim ON platform.standby_deployments (problem_type, id) WHERE state = 'ready';

-- An operator's size for a template's pool, over the configured one.
CREATE TABLE platform.standby_pools (
    problem_type  text PRIMARY KEY,
    size          integer NOT NULL CHECK (size >= 0),
    updated_at    timestamptz NOT NULL
);

-- Whether a deployment was a standby slot when it was asked for (ready the moment it was accepted).
ALTER TABLE platform.deployments ADD COLUMN warm_start boolean NOT NULL DEFAULT false;

-- A claimed slot keeps its older id, so "newest first" is by creation time, not by id.
DROP INDEX platform.deployments_tenant_created;
CREATE INDEX deployments_tenant_created ON platform.deployments (tenant_id, created_at DESC, id DESC);
CREATE INDEX deployments_created ON platform.deployments (created_at DESC, id DESC);
