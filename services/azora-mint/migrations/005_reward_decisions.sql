-- Every learn-to-earn reward decision: what a completion was worth, what was paid and what was
-- held back, and why (src/domain/reward-policy.ts). Written in the transaction that records the
-- triggering event in the inbox, so a redelivered event decides nothing twice; the reference
-- (what was completed) is unique, so a completion published twice is decided once too.
CREATE TABLE reward_decisions (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('lesson', 'course', 'job')),
  reference text NOT NULL UNIQUE,
  -- What the reward is worth by configuration when it was decided.
  amount bigint NOT NULL CHECK (amount > 0),
  paid bigint NOT NULL CHECK (paid >= 0),
  held_back bigint NOT NULL CHECK (held_back >= 0),
  reason text CHECK (reason IN ('own_course', 'not_eligible', 'daily_cap', 'unverified_employer', 'self_hire')),
  -- The reward posting (its reference is this row's), when anything was paid.
  transfer_id uuid UNIQUE REFERENCES transfers (id),
  -- The UTC day the daily cap counts the payment against.
  day date NOT NULL,
  event_id uuid,
  request_id text,
  created_at timestamptz NOT NULL,
  CHECK (paid + held_back = amount),
  CHECK ((reason IS NULL) = (held_back = 0)),
  CHECK ((paid > 0) = (transfer_id IS NOT NULL))
);
-- A user's decisions, newest first (GET /wallet/rewards), and what they were paid on one day.
CREATE INDEX reward_decisions_by_user ON reward_decisions (user_id, seq);
CREATE INDEX reward_decisions_by_user_day ON reward_decisions (user_id, day) INCLUDE (paid);
CREATE TRIGGER reward_decisions_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reward_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Rewards paid before decisions were recorded: each becomes a decision paid in full, so the
-- caps of their days and the duplicate checks see them.
INSERT INTO reward_decisions (id, user_id, trigger, reference, amount, paid, held_back, reason, transfer_id, day, request_id, created_at)
SELECT gen_random_uuid(), a.owner_id, split_part(t.reference, ':', 2), t.reference, t.amount, t.amount, 0, NULL, t.id,
       (t.created_at AT TIME ZONE 'UTC')::date, t.request_id, t.created_at
FROM transfers t
JOIN accounts a ON a.id = t.credit_account AND a.kind = 'user'
WHERE t.kind = 'reward' AND split_part(t.reference, ':', 2) IN ('lesson', 'course', 'job')
ORDER BY t.seq;
