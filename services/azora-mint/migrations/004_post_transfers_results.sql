-- post_transfers answers from what it just wrote. It used to join its results back to
-- transfers, a join the planner could turn into a scan of the whole table once a cached plan
-- outlived the table's statistics: each group then cost time in proportion to the ledger's size.
-- Same arguments, same outcomes and the same order as migrations/002.
CREATE OR REPLACE FUNCTION post_transfers(
  p_ids uuid[],
  p_kinds text[],
  p_debits text[],
  p_credits text[],
  p_amounts bigint[],
  p_memos text[],
  p_references text[],
  p_request_ids text[],
  p_created_ats timestamptz[],
  -- mint.transfer.completed data, validated against the catalog by the caller; null: no event.
  p_event_ids uuid[],
  p_event_data jsonb[],
  p_event_subjects text[],
  -- Null where a posting carries no Idempotency-Key.
  p_key_users uuid[],
  p_keys text[],
  p_request_hashes text[]
) RETURNS SETOF posting_result LANGUAGE plpgsql AS $$
DECLARE
  max_balance constant bigint := 9007199254740991;
  n constant int := coalesce(array_length(p_ids, 1), 0);
  outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  replays boolean[] := array_fill(false, ARRAY[n]);
  availables bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  result_ids uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  debit_after bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  credit_after bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  -- True only for postings applied by this call: a replay's outcome can be 'posted' too.
  applied boolean[] := array_fill(false, ARRAY[n]);
  claimed int[];
  -- The seq each posting applied by this call was given, by position in the group.
  seqs bigint[];
  account_ids text[];
  account_kinds text[];
  balances bigint[];
  d int;
  c int;
  stored record;
  any_posted boolean := false;
BEGIN
  IF (SELECT count(DISTINCT (u, k)) <> count(k) FROM unnest(p_key_users, p_keys) AS t(u, k) WHERE k IS NOT NULL)
     OR (SELECT count(DISTINCT r) <> count(r) FROM unnest(p_references) AS r) THEN
    RAISE EXCEPTION 'post_transfers: one group may not carry an Idempotency-Key or a reference twice';
  END IF;

  -- 1. Claim the keys, in key order (twins in other groups then wait in a consistent order).
  --    Optimistically claimed as posted; refused postings correct their row in step 4.
  WITH wanted AS (
    SELECT * FROM unnest(p_key_users, p_keys, p_request_hashes, p_ids, p_created_ats) WITH ORDINALITY AS t(u, k, h, id, at, i)
    WHERE k IS NOT NULL
  ), inserted AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, outcome, transfer_id, created_at)
    SELECT u, k, h, 'posted', id, at FROM wanted ORDER BY u, k
    ON CONFLICT DO NOTHING
    RETURNING user_id, key
  )
  SELECT array_agg(w.i::int) INTO claimed FROM wanted w JOIN inserted ON inserted.user_id = w.u AND inserted.key = w.k;

  FOR stored IN
    SELECT t.i::int AS i, s.request_hash = t.h AS same_request, s.outcome, s.transfer_id, s.available
    FROM unnest(p_key_users, p_keys, p_request_hashes) WITH ORDINALITY AS t(u, k, h, i)
    JOIN idempotency_keys s ON s.user_id = t.u AND s.key = t.k
    WHERE t.k IS NOT NULL AND NOT (t.i::int = ANY (coalesce(claimed, '{}')))
  LOOP
    replays[stored.i] := stored.same_request;
    outcomes[stored.i] := CASE WHEN stored.same_request THEN stored.outcome ELSE 'key_reused' END;
    IF stored.same_request THEN
      availables[stored.i] := stored.available;
      result_ids[stored.i] := stored.transfer_id;
    END IF;
  END LOOP;

  -- 2. Lock every account of the group, in id order, and read the balances.
  SELECT array_agg(a.id), array_agg(a.kind), array_agg(a.balance) INTO account_ids, account_kinds, balances
  FROM (SELECT id, kind, balance FROM accounts WHERE id = ANY (p_debits || p_credits) ORDER BY id FOR NO KEY UPDATE) AS a;

  -- A reference is checked under the locks, so a twin posted by a transaction that held them is seen.
  FOR stored IN
    SELECT t.i::int AS i, tr.id FROM unnest(p_references) WITH ORDINALITY AS t(r, i) JOIN transfers tr ON tr.reference = t.r
  LOOP
    IF outcomes[stored.i] IS NULL THEN
      outcomes[stored.i] := 'duplicate_reference';
      result_ids[stored.i] := stored.id;
    END IF;
  END LOOP;

  -- 3. Apply the postings in order, in memory.
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN outcomes[i] IS NOT NULL;
    d := array_position(account_ids, p_debits[i]);
    c := array_position(account_ids, p_credits[i]);
    IF d IS NULL THEN
      outcomes[i] := 'debit_missing';
    ELSIF c IS NULL THEN
      outcomes[i] := 'credit_missing';
    ELSIF d = c OR p_amounts[i] IS NULL OR p_amounts[i] <= 0 THEN
      RAISE EXCEPTION 'post_transfers: posting % moves % from % to itself or nothing', p_ids[i], p_amounts[i], p_debits[i];
    ELSIF account_kinds[d] <> 'treasury' AND balances[d] < p_amounts[i] THEN
      outcomes[i] := 'insufficient_funds';
      availables[i] := balances[d];
    ELSIF balances[c] + p_amounts[i] > max_balance OR balances[d] - p_amounts[i] < -max_balance THEN
      outcomes[i] := 'balance_limit';
    ELSE
      balances[d] := balances[d] - p_amounts[i];
      balances[c] := balances[c] + p_amounts[i];
      debit_after[i] := balances[d];
      credit_after[i] := balances[c];
      outcomes[i] := 'posted';
      applied[i] := true;
      result_ids[i] := p_ids[i];
      any_posted := true;
    END IF;
  END LOOP;

  -- 4. Write: transfers in group order (seq follows the order the balances evolved in), then
  --    balances, events and the outcomes of refused keyed postings.
  IF any_posted THEN
    -- The seq each new transfer got, read back from the statement, not from the table.
    WITH inserted AS (
      INSERT INTO transfers (id, kind, debit_account, credit_account, amount, debit_balance, credit_balance, memo, reference, request_id, created_at)
      SELECT id, kind, debit, credit, amount, debit_balance, credit_balance, memo, reference, request_id, created_at
      FROM unnest(p_ids, p_kinds, p_debits, p_credits, p_amounts, debit_after, credit_after, p_memos, p_references, p_request_ids, p_created_ats, applied)
        WITH ORDINALITY AS t(id, kind, debit, credit, amount, debit_balance, credit_balance, memo, reference, request_id, created_at, now_applied, i)
      WHERE now_applied
      ORDER BY i
      RETURNING id, seq
    )
    SELECT array_agg(inserted.seq ORDER BY t.i) INTO seqs
    FROM unnest(p_ids) WITH ORDINALITY AS t(id, i) LEFT JOIN inserted ON inserted.id = t.id;

    UPDATE accounts SET balance = b.balance
    FROM unnest(account_ids, balances) AS b(id, balance)
    WHERE accounts.id = b.id AND accounts.balance <> b.balance;

    IF EXISTS (SELECT 1 FROM unnest(applied, p_event_data) AS t(now_applied, data) WHERE now_applied AND data IS NOT NULL) THEN
      INSERT INTO outbox (id, type, subject, request_id, data, occurred_at)
      SELECT event_id, 'mint.transfer.completed', subject, request_id, data, created_at
      FROM unnest(p_event_ids, p_event_subjects, p_request_ids, p_event_data, p_created_ats, applied)
        WITH ORDINALITY AS t(event_id, subject, request_id, data, created_at, now_applied, i)
      WHERE now_applied AND data IS NOT NULL
      ORDER BY i;
    END IF;
  END IF;

  UPDATE idempotency_keys k SET outcome = t.outcome, transfer_id = t.result_id, available = t.available
  FROM unnest(p_key_users, p_keys, outcomes, result_ids, availables) WITH ORDINALITY AS t(u, key, outcome, result_id, available, i)
  WHERE k.user_id = t.u AND k.key = t.key AND t.i::int = ANY (coalesce(claimed, '{}')) AND t.outcome <> 'posted';

  -- Postings applied now answer from the group's own arrays; only the others (replays,
  -- duplicate references) look their transfer up, by primary key.
  RETURN QUERY
  SELECT t.outcome, t.replayed, t.available, t.id, t.seq, t.kind, t.debit, t.credit, t.amount,
         t.debit_balance, t.credit_balance, t.memo, t.reference, t.created_at
  FROM (
    SELECT a.i, a.outcome, a.replayed, a.available, a.id, a.seq, a.kind, a.debit, a.credit, a.amount,
           a.debit_balance, a.credit_balance, a.memo, a.reference, a.created_at
    FROM unnest(outcomes, replays, availables, applied, p_ids, seqs, p_kinds, p_debits, p_credits, p_amounts, debit_after, credit_after, p_memos, p_references, p_created_ats)
      WITH ORDINALITY AS a(outcome, replayed, available, now_applied, id, seq, kind, debit, credit, amount, debit_balance, credit_balance, memo, reference, created_at, i)
    WHERE a.now_applied
    UNION ALL
    SELECT o.i, o.outcome, o.replayed, o.available, tr.id, tr.seq, tr.kind, tr.debit_account, tr.credit_account, tr.amount,
           tr.debit_balance, tr.credit_balance, tr.memo, tr.reference, tr.created_at
    FROM unnest(outcomes, replays, availables, result_ids, applied) WITH ORDINALITY AS o(outcome, replayed, available, result_id, now_applied, i)
    LEFT JOIN LATERAL (SELECT * FROM transfers WHERE transfers.id = o.result_id) AS tr ON true
    WHERE NOT o.now_applied
  ) AS t
  ORDER BY t.i;
END;
$$;
