-- The trace context of the request that published each event (W3C traceparent), so the work
-- its consumers do joins that trace. Null when tracing is off.
ALTER TABLE outbox ADD COLUMN traceparent text;
