-- The transactional outbox and the idempotent inbox every service has (see service-kit's bus).
-- The outbox holds events written in the same transaction as the state change they describe;
-- the relay sends them to Nexus in position order and marks them sent.
CREATE TABLE outbox (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  subject text,
  request_id text,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbox_pending ON outbox (position) WHERE sent_at IS NULL;

-- Ids of events already applied: recorded in the same transaction as the effect, so a
-- redelivered event changes nothing.
CREATE TABLE inbox (
  event_id uuid PRIMARY KEY,
  type text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now()
);
