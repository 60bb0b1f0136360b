-- The double-entry AZR ledger. Every account has a balance column kept in step with the
-- append-only transfers table, which is the source of truth: balance = credits - debits.
-- Only the treasury (where minted tokens come from) may go below zero, so the sum over all
-- accounts is always zero.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('treasury', 'user', 'escrow')),
  -- The user of a wallet; the payer of an escrow; none for the treasury.
  owner_id uuid,
  balance bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT only_the_treasury_goes_negative CHECK (kind = 'treasury' OR balance >= 0),
  -- Balances travel as JSON numbers: keep them exact.
  CONSTRAINT balance_is_a_safe_integer CHECK (balance BETWEEN -9007199254740991 AND 9007199254740991),
  CONSTRAINT owner_matches_kind CHECK ((kind = 'treasury') = (owner_id IS NULL)),
  CONSTRAINT id_matches_kind CHECK (
    (kind = 'treasury' AND id = 'mint:treasury')
    OR (kind = 'user' AND id = 'user:' || owner_id::text)
    OR (kind = 'escrow' AND id LIKE 'escrow:%')
  )
) WITH (fillfactor = 80); -- room on each page for HOT balance updates

INSERT INTO accounts (id, kind) VALUES ('mint:treasury', 'treasury');

-- One row per posting: `amount` leaves the debit account and arrives in the credit account.
-- The balances after the posting are kept on the row for the wallet's running balance.
-- Both accounts exist: post_transfers writes a posting only for accounts it has just locked, and
-- accounts are never deleted (below). Foreign keys would check that again for every posting,
-- at a third of the posting's cost; /admin/ledger/check verifies it instead.
CREATE TABLE transfers (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('transfer', 'reward', 'topup', 'topup_reversal', 'debt_collection',
    'escrow_hold', 'escrow_release', 'escrow_refund', 'mint', 'burn')),
  debit_account text NOT NULL,
  credit_account text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  debit_balance bigint NOT NULL,
  credit_balance bigint NOT NULL,
  memo text CHECK (char_length(memo) <= 280),
  -- What caused the posting, when it must happen at most once (a reward's lesson, a payment...).
  reference text UNIQUE,
  request_id text,
  created_at timestamptz NOT NULL,
  CHECK (debit_account <> credit_account)
);
CREATE INDEX transfers_by_debit_account ON transfers (debit_account, seq);
CREATE INDEX transfers_by_credit_account ON transfers (credit_account, seq);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % refused: the ledger is append-only (post a correcting transfer instead)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER transfers_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON transfers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER accounts_are_never_deleted BEFORE DELETE OR TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Idempotency-Key records, scoped per user. The first request inserts the row (the unique key
-- makes a concurrent twin wait for its commit); a replay reads the outcome back.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  outcome text NOT NULL,
  transfer_id uuid,
  available bigint,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, key)
);
