-- Escrow holds, the admin audit trail and token debts. The transfers stay the source of truth
-- for money; these tables hold the state and the who-did-what around them.

-- A hold moves `amount` from the owner's wallet into its own escrow account; it is then either
-- released to a worker or refunded to the owner, exactly once (both post with the same
-- reference `escrow:<reference>:settle`, so only one of them can ever happen).
CREATE TABLE escrow_holds (
  reference text PRIMARY KEY,
  account_id text NOT NULL UNIQUE REFERENCES accounts (id),
  owner_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  memo text,
  -- The service whose credential created the hold: only it may settle the hold.
  created_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'released', 'refunded')),
  released_to uuid,
  hold_transfer_id uuid NOT NULL REFERENCES transfers (id),
  settle_transfer_id uuid REFERENCES transfers (id),
  created_at timestamptz NOT NULL,
  settled_at timestamptz,
  CHECK ((status = 'held') = (settle_transfer_id IS NULL)),
  CHECK ((status = 'released') = (released_to IS NOT NULL))
);

-- Every supply change an admin made: who, what, how much, why, when.
CREATE TABLE admin_actions (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id uuid PRIMARY KEY,
  admin_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('mint', 'burn')),
  user_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  memo text,
  transfer_id uuid NOT NULL UNIQUE REFERENCES transfers (id),
  request_id text,
  created_at timestamptz NOT NULL
);
CREATE TRIGGER admin_actions_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON admin_actions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Tokens a refunded top-up took back that the wallet could not cover at the time. They are
-- collected from the wallet's next top-ups and rewards; `owed` only ever goes down.
CREATE TABLE token_debts (
  payment_id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  original bigint NOT NULL CHECK (original > 0),
  owed bigint NOT NULL CHECK (owed >= 0 AND owed <= original),
  created_at timestamptz NOT NULL,
  settled_at timestamptz
);
CREATE INDEX token_debts_open ON token_debts (user_id, created_at) WHERE owed > 0;
