-- Announces every change to the stored keys on channel api_keys, so each Orchestrator replica forgets the keys it
-- remembers (a revoked key stops working everywhere at once, not when a cache entry runs out). Delivered on commit.
CREATE FUNCTION platform.notify_api_keys_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_keys', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_changed
AFTER UPDATE OR DELETE OR TRUNCATE ON platform.api_keys
FOR EACH STATEMENT
EXECUTE FUNCTION platform.notify_api_keys_changed();
