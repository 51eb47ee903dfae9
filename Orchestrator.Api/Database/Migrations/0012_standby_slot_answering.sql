-- A ready standby slot whose service did not answer a health probe (at a claim, or in the slot prober's pass),
-- since when. Claims skip it and the pool counts it apart from the answering slots (while still counting it toward
-- the pool's size, so the refiller does not overbuild); it is cleared when the service answers again, and the slot is
-- removed and replaced once it has been silent for longer than Standby:DeadAfter.
ALTER TABLE platform.standby_deployments ADD COLUMN unanswered_since timestamptz;

-- Claims look only at slots that answered when last asked.
DROP INDEX platform.standby_deployments_claim;
CREATE INDEX standby_deployments_claim ON platform.standby_deployments (problem_type, id)
    WHERE state = 'ready' AND unanswered_since IS NULL;
