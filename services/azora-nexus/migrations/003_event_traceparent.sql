-- The trace context each event was published in (W3C traceparent, from the publisher's outbox),
-- carried to every delivery so the consumers' work joins the publisher's trace.
ALTER TABLE events ADD COLUMN traceparent text;
