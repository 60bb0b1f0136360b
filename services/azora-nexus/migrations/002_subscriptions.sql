-- Subscriptions and their delivery state, kept here so that a restarted Nexus (or another
-- instance) resumes exactly where delivery stopped: position is the last seq acknowledged or
-- skipped, attempts counts failures of the current head, next_attempt_at schedules the retry.
CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscriber text NOT NULL,
  endpoint text NOT NULL,
  topics text[] NOT NULL CHECK (cardinality(topics) > 0),
  secret text NOT NULL,
  position bigint NOT NULL DEFAULT 0 CHECK (position >= 0),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- After a failed batch, events up to this seq go one at a time, so a poison event is isolated.
  isolate_through bigint NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscriber, endpoint)
);

-- Events a subscription gave up on after the maximum attempts; delivery went on past them.
CREATE TABLE dead_letters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Creation order, for stable keyset pagination of the list.
  ordinal bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  event_seq bigint NOT NULL REFERENCES events (seq),
  attempts integer NOT NULL CHECK (attempts > 0),
  last_error text NOT NULL,
  status text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'retrying', 'delivered')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retried_at timestamptz,
  UNIQUE (subscription_id, event_seq)
);
