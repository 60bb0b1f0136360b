-- Each dead letter keeps a copy of its event as it was delivered, instead of joining the log:
-- with the JetStream backend (NEXUS_BACKEND=nats) the log is a stream, and this schema's events
-- table stays empty, while dead letters are still listed and retried from here.
ALTER TABLE dead_letters ADD COLUMN event jsonb;

UPDATE dead_letters d
SET event = jsonb_build_object(
    'id', e.id,
    'type', e.type,
    'source', e.source,
    'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', e.data,
    'seq', e.seq,
    'receivedAt', to_char(e.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  )
  || CASE WHEN e.subject IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('subject', e.subject) END
  || CASE WHEN e.request_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('requestId', e.request_id) END
  || CASE WHEN e.traceparent IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('traceparent', e.traceparent) END
FROM events e
WHERE e.seq = d.event_seq;

ALTER TABLE dead_letters
  ALTER COLUMN event SET NOT NULL,
  DROP CONSTRAINT dead_letters_event_seq_fkey;
