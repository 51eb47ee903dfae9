-- Tenants own deployments; API keys say who calls and with which role. Quotas left NULL use the configured defaults.
CREATE TABLE platform.tenants (
    id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                         text NOT NULL UNIQUE,
    max_live_deployments         integer CHECK (max_live_deployments > 0),
    max_deployments_per_hour     integer CHECK (max_deployments_per_hour > 0),
    max_scenario_runs_in_flight  integer CHECK (max_scenario_runs_in_flight > 0),
    created_at                   timestamptz NOT NULL
);

-- Only the secret's SHA-256 is kept; visible_prefix lets a person tell keys apart in a list.
CREATE TABLE platform.api_keys (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 text NOT NULL,
    role                 text NOT NULL CHECK (role IN ('tenant', 'admin')),
    tenant_id            uuid REFERENCES platform.tenants (id),
    secret_sha256        bytea NOT NULL UNIQUE,
    visible_prefix       text,
    requests_per_minute  integer CHECK (requests_per_minute > 0),
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz,
    revoked_at           timestamptz,
    CHECK ((role = 'tenant') = (tenant_id IS NOT NULL))
);

CREATE INDEX api_keys_tenant ON platform.api_keys (tenant_id, created_at DESC);

-- Deployments made before tenants existed go to a tenant of their own.
INSERT INTO platform.tenants (name, created_at)
SELECT 'pre-tenancy', now() WHERE EXISTS (SELECT 1 FROM platform.deployments);

ALTER TABLE platform.deployments ADD COLUMN tenant_id uuid REFERENCES platform.tenants (id);
UPDATE platform.deployments SET tenant_id = (SELECT id FROM platform.tenants WHERE name = 'pre-tenancy');
ALTER TABLE platform.deployments ALTER COLUMN tenant_id SET NOT NULL;
CREATE INDEX deployments_tenant_id ON platform.deployments (tenant_id, id DESC);
CREATE INDEX deployments_tenant_created ON platform.deployments (tenant_id, created_at);

ALTER TABLE platform.scenario_runs ADD COLUMN tenant_id uuid REFERENCES platform.tenants (id);
UPDATE platform.scenario_runs r SET tenant_id = d.tenant_id FROM platform.deployments d WHERE d.id = r.deployment_id;
ALTER TABLE platform.scenario_runs ALTER COLUMN tenant_id SET NOT NULL;
CREATE INDEX scenario_runs_tenant_in_flight ON platform.scenario_runs (tenant_id) WHERE state IN ('queued', 'running');
