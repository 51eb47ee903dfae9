-- The audit log: one entry per mutating API request, refused ones included. The application role may read and
-- append, nothing else; entries leave only through platform.purge_expired_audit_entries(), once older than the
-- audit retention.

-- Normally created by an earlier migration with its privileges; created here too so this one stands alone.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sdp_app') THEN
        CREATE ROLE sdp_app NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA platform TO sdp_app;

CREATE TABLE platform.audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    request_id    text NOT NULL,
    actor_key_id  uuid,
    actor_name    text,
    actor_role    text,
    tenant_id     uuid,
    action        text NOT NULL,
    target        text,
    status_code   smallint NOT NULL CHECK (status_code BETWEEN 100 AND 599),
    -- Derived, so it can never disagree with the status code.
    outcome       text NOT NULL GENERATED ALWAYS AS (
                      CASE WHEN status_code >= 500 THEN 'failed'
                           WHEN status_code >= 400 THEN 'refused'
                           ELSE 'succeeded' END) STORED,
    client_ip     inet
);

-- GET /api/admin/audit pages newest first (id DESC) within each filter; the purge looks by age.
CREATE INDEX audit_log_occurred_at ON platform.audit_log (occurred_at);
CREATE INDEX audit_log_tenant ON platform.audit_log (tenant_id, id DESC) WHERE tenant_id IS NOT NULL;
CREATE INDEX audit_log_actor ON platform.audit_log (actor_key_id, id DESC) WHERE actor_key_id IS NOT NULL;
CREATE INDEX audit_log_action ON platform.audit_log (action, id DESC);
CREATE INDEX audit_log_status ON platform.audit_log (status_code, id DESC);

-- How long entries are kept (Retention:AuditLog), written by the owner at start-up; one row.
CREATE TABLE platform.audit_retention (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    keep_for    interval NOT NULL CHECK (keep_for >= interval '1 day'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO platform.audit_retention (keep_for) VALUES (interval '2557 days');

-- Default privileges would give the application role UPDATE, DELETE and TRUNCATE on new tables: take
-- everything back (UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER included) and give only what it needs.
REVOKE ALL ON platform.audit_log FROM PUBLIC;
REVOKE ALL ON platform.audit_log FROM sdp_app;
GRANT SELECT, INSERT ON platform.audit_log TO sdp_app;
REVOKE ALL ON platform.audit_retention FROM PUBLIC;
REVOKE ALL ON platform.audit_retention FROM sdp_app;
GRANT SELECT ON platform.audit_retention TO sdp_app;

-- Refuses what privileges cannot refuse the owner: any UPDATE or TRUNCATE, and deleting an entry younger than
-- the retention.
CREATE FUNCTION platform.refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keep interval;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT keep_for INTO keep FROM platform.audit_retention;
        IF keep IS NOT NULL AND OLD.occurred_at < now() - keep THEN
            RETURN OLD;
        END IF;

        RAISE EXCEPTION 'audit entry % is younger than the audit retention (%) and cannot be deleted', OLD.id, keep
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON platform.audit_log
FOR EACH STATEMENT EXECUTE FUNCTION platform.refuse_audit_change();

CREATE TRIGGER audit_log_no_truncate
BEFORE TRUNCATE ON platform.audit_log
FOR EACH STATEMENT EXECUTE FUNCTION platform.refuse_audit_change();

CREATE TRIGGER audit_log_keep_young
BEFORE DELETE ON platform.audit_log
FOR EACH ROW EXECUTE FUNCTION platform.refuse_audit_change();

-- The only way out for the application role: runs as its owner (who may delete), removes only what the retention
-- lets go. search_path is pinned so a caller's objects cannot stand in for the platform's.
CREATE FUNCTION platform.purge_expired_audit_entries() RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    purged bigint;
BEGIN
    DELETE FROM platform.audit_log
    WHERE occurred_at < now() - (SELECT keep_for FROM platform.audit_retention);
    GET DIAGNOSTICS purged = ROW_COUNT;
    RETURN purged;
END;
$$;

REVOKE ALL ON FUNCTION platform.purge_expired_audit_entries() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.purge_expired_audit_entries() TO sdp_app;
