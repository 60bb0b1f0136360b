-- The sandbox provider's own state (it stands in for Stripe, whose state is durable too): its
-- PaymentIntents and refunds survive a restart, so reconciliation can settle a payment whose
-- webhook was lost in a crash.
CREATE TABLE sandbox_intents (
  id text PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  client_secret text NOT NULL,
  amount bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  metadata jsonb NOT NULL,
  payment_method text,
  last_error jsonb,
  amount_refunded bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE sandbox_refunds (
  id text PRIMARY KEY,
  intent_id text NOT NULL REFERENCES sandbox_intents (id),
  idempotency_key text NOT NULL UNIQUE,
  amount bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  reason text,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
