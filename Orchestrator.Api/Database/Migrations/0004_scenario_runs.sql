-- Scenario runs: traffic the Simulator drives at a ready deployment, and what it found.
CREATE TABLE platform.scenario_runs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment_id       bigint NOT NULL REFERENCES platform.deployments (id),
    problem_type        text NOT NULL,
    state               text NOT NULL CHECK (state IN ('queued', 'running', 'completed')),
    requests_per_second integer NOT NULL,
    duration_seconds    integer NOT NULL,
    concurrency         integer NOT NULL,
    cleanup_after_test  boolean NOT NULL,
    phase               text,
    requests_sent       bigint NOT NULL DEFAULT 0,
    requests_planned    bigint NOT NULL DEFAULT 0,
    checks_passed       integer NOT NULL DEFAULT 0,
    checks_failed       integer NOT NULL DEFAULT 0,
    progress_at         timestamptz,
    outcome             text,
    report              jsonb,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    completed_at        timestamptz
);

CREATE INDEX scenario_runs_deployment ON platform.scenario_runs (deployment_id, id DESC);

-- One run at a time per deployment: two runs' traffic would distort each other's checks and figures.
CREATE UNIQUE INDEX scenario_runs_one_in_flight ON platform.scenario_runs (deployment_id)
    WHERE state IN ('queued', 'running');
