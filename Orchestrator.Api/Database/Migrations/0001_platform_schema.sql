-- The platform's own tables. Candidates never get USAGE on this schema.
CREATE TABLE platform.deployments (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    problem_type             text NOT NULL,
    design_text              text NOT NULL,
    submission_id            text,
    state                    text NOT NULL,
    endpoint_url             text,
    error                    text,
    deployment_time_seconds  double precision,
    timings                  jsonb,
    created_at               timestamptz NOT NULL,
    queued_at                timestamptz NOT NULL,
    provisioning_at          timestamptz,
    ready_at                 timestamptz,
    cleaning_at              timestamptz,
    deleted_at               timestamptz,
    failed_at                timestamptz,
    updated_at               timestamptz NOT NULL
);

CREATE INDEX deployments_state_id ON platform.deployments (state, id DESC);

-- Messages saved in the same transaction as the state change they announce, published afterwards.
CREATE TABLE platform.outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_type  text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);

CREATE INDEX outbox_pending ON platform.outbox (id) WHERE published_at IS NULL;
