-- Announces every state change on channel deployment_state (payload: the deployment id), so API
-- requests waiting for a state wake up at once instead of polling. Delivered on commit.
CREATE FUNCTION platform.notify_deployment_state() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('deployment_state', NEW.id::text);
    RETURN NEW;
END;
$$;

CREATE TRIGGER deployments_state_changed
AFTER UPDATE OF state ON platform.deployments
FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
EXECUTE FUNCTION platform.notify_deployment_state();
