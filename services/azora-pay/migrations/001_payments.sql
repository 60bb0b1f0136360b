-- Payments, their refunds, and every provider event received (each stored once by its id).
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('course', 'tokens')),
  course_id uuid,
  tokens bigint CHECK (tokens > 0),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('requires_payment_method', 'requires_action', 'processing', 'failed',
    'succeeded', 'partially_refunded', 'refunded', 'canceled')),
  amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
  provider text NOT NULL CHECK (provider IN ('stripe', 'sandbox')),
  provider_payment_id text UNIQUE,
  client_secret text,
  failure_code text,
  failure_decline_code text,
  failure_message text,
  -- The buyer's Idempotency-Key for the checkout, when one was sent.
  idempotency_key text,
  request_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  succeeded_at timestamptz,
  refunded_at timestamptz,
  -- When reconciliation last asked the provider about it.
  reconciled_at timestamptz,
  CHECK ((purpose = 'course') = (course_id IS NOT NULL)),
  CHECK ((purpose = 'tokens') = (tokens IS NOT NULL))
);
CREATE INDEX payments_user ON payments (user_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX payments_user_idempotency ON payments (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- One open checkout per buyer and course: a second checkout answers the open one, so a double
-- click never charges twice.
CREATE UNIQUE INDEX payments_open_course ON payments (user_id, course_id)
  WHERE purpose = 'course' AND status IN ('requires_payment_method', 'requires_action', 'processing', 'failed');
CREATE INDEX payments_open ON payments (reconciled_at NULLS FIRST, created_at)
  WHERE status IN ('requires_payment_method', 'requires_action', 'processing');

CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  payment_id uuid NOT NULL REFERENCES payments (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  reason text,
  provider_refund_id text UNIQUE,
  -- The admin's Idempotency-Key (null for refunds made at the provider, e.g. its dashboard).
  idempotency_key text,
  requested_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX refunds_idempotency ON refunds (payment_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);

-- Provider events, verified and stored once: a redelivered event id is acknowledged and ignored.
-- `unmatched` events named a payment Pay could not find yet; they are applied when it appears.
CREATE TABLE provider_events (
  id text PRIMARY KEY,
  provider text NOT NULL,
  type text NOT NULL,
  object_id text,
  payment_id uuid REFERENCES payments (id),
  outcome text NOT NULL CHECK (outcome IN ('applied', 'ignored', 'unmatched')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX provider_events_unmatched ON provider_events (object_id) WHERE outcome = 'unmatched';
