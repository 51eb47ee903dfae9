-- The API runs as sdp_app, a role that reads and writes the platform's rows and nothing more: it cannot change
-- the schema, and cannot rewrite the migration history. Migrations run as the owner. The host makes sdp_app a
-- login with a password; made here without one, so a setup without it still migrates (and may grant it a login).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sdp_app') THEN
        CREATE ROLE sdp_app NOLOGIN;
    END IF;
EXCEPTION
    -- Roles belong to the server: another database's migration may have made it meanwhile.
    WHEN duplicate_object THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA platform TO sdp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA platform TO sdp_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA platform TO sdp_app;

-- The journal is the owner's: the API may read which migrations ran, never add, change or remove one.
REVOKE ALL ON platform.schema_versions FROM sdp_app;
GRANT SELECT ON platform.schema_versions TO sdp_app;
DO $$
DECLARE
    journal_sequence text := pg_get_serial_sequence('platform.schema_versions', 'schemaversionsid');
BEGIN
    IF journal_sequence IS NOT NULL THEN
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM sdp_app', journal_sequence);
    END IF;
END
$$;

-- Tables and sequences later migrations create (as the owner) get the same, without a grant of their own. A table
-- the API must not change (an audit log) revokes what it must not do in its own migration.
ALTER DEFAULT PRIVILEGES IN SCHEMA platform GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sdp_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA platform GRANT USAGE, SELECT ON SEQUENCES TO sdp_app;
