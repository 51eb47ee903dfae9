-- The W3C trace context of the request that saved an outbox row, so a message the relay publishes later
-- still belongs to that request's trace.
ALTER TABLE platform.outbox ADD COLUMN traceparent text;
