-- Custom deployments: the service spec a deployment runs (given in the request, or generated from its design text by
-- a model), whether it was generated, and what the generation took (duration and token usage). A generated
-- deployment starts in 'generating' (since generating_at) and moves to 'queued' once its spec is there.
ALTER TABLE platform.deployments
    ADD COLUMN service_spec   jsonb,
    ADD COLUMN generated      boolean NOT NULL DEFAULT false,
    ADD COLUMN generation     jsonb,
    ADD COLUMN generating_at  timestamptz;

-- The generation worker's question: which deployments wait for the model, and whose turn (next_attempt_at holds a
-- claim's lease, so a replica that stopped mid-generation leaves the row to the next).
CREATE INDEX deployments_generating ON platform.deployments (id) WHERE state = 'generating';

-- A generating deployment expires like any other.
DROP INDEX platform.deployments_expiry;
CREATE INDEX deployments_expiry ON platform.deployments (expires_at)
    WHERE state IN ('generating', 'queued', 'provisioning', 'ready');

-- Specs the model generated, by the SHA-256 of problem type and design text: the same design asks the model once.
CREATE TABLE platform.generated_specs (
    hash           text PRIMARY KEY,
    problem_type   text NOT NULL,
    spec           jsonb NOT NULL,
    input_tokens   bigint,
    output_tokens  bigint,
    duration_ms    double precision NOT NULL,
    created_at     timestamptz NOT NULL
);
