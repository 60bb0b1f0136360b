// Delivery state in SQL: which subscriptions are due, and claiming one (FOR UPDATE SKIP LOCKED)
// for one attempt whose outcome (acknowledge, fail, dead-letter) is written before the lock goes.
// The JetStream backend keeps delivery state here too: it passes the log's head (its stream's
// last sequence) where this backend reads event_counter.
import type { Pool, Tx } from '@azora/service-kit';
import type { DueSubscriptions, SubscriptionClaim } from '../domain/ports';
import { readEvents } from './events';
import { beginHeld } from './held-transaction';
import { SUBSCRIPTION_COLUMNS, toSubscriptionRecord, type SubscriptionRow } from './subscriptions';

// Whether a retry is due is decided by the caller's clock (`now`), which also scheduled it.
// Rows locked by another instance are skipped, so each instance picks work nobody holds.
const FIND_DUE = `
SELECT s.id FROM subscriptions s
WHERE s.position < coalesce($4::bigint, (SELECT last_seq FROM event_counter))
  AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= $3::timestamptz)
  AND NOT (s.id = ANY($1::uuid[]))
ORDER BY s.next_attempt_at NULLS FIRST, s.id
LIMIT $2
FOR UPDATE OF s SKIP LOCKED`;

const NEXT_RETRY = `
SELECT ceil(extract(epoch FROM min(next_attempt_at) - $1::timestamptz) * 1000)::float8 AS wait_ms
FROM subscriptions
WHERE next_attempt_at > $1::timestamptz AND position < coalesce($2::bigint, (SELECT last_seq FROM event_counter))`;

// Spliced into simple-protocol statements (sent together with BEGIN or COMMIT in one round
// trip), so checked first: only a uuid and integers ever reach the SQL text.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function literalUuid(id: string): string {
  if (!UUID.test(id)) throw new Error(`"${id}" is not a uuid`);
  return `'${id}'`;
}
function literalInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`${value} is not an integer`);
  return String(value);
}
function literalTimestamp(at: Date): string {
  return `'${at.toISOString()}'::timestamptz`; // toISOString throws on an invalid date
}

const claimStatement = (id: string, now: Date) => `
SELECT ${SUBSCRIPTION_COLUMNS}, (SELECT last_seq FROM event_counter) AS head
FROM subscriptions
WHERE id = ${literalUuid(id)} AND (next_attempt_at IS NULL OR next_attempt_at <= ${literalTimestamp(now)})
FOR UPDATE SKIP LOCKED`;

// An acknowledgement lost in a crash only means a redelivery, which consumers deduplicate: it
// need not wait for the WAL flush.
const acknowledgeAndCommit = (id: string, position: number) => `
SET LOCAL synchronous_commit = off;
UPDATE subscriptions SET position = greatest(position, ${literalInt(position)}), attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = now()
WHERE id = ${literalUuid(id)};
COMMIT`;

const FAIL = `
UPDATE subscriptions
SET attempts = $2, last_error = $3, next_attempt_at = $4::timestamptz,
    isolate_through = greatest(isolate_through, $5), updated_at = now()
WHERE id = $1`;

const DEAD_LETTER = `
WITH dead AS (
  INSERT INTO dead_letters (subscription_id, event_seq, event, attempts, last_error, created_at)
  VALUES ($1, $2, $6::jsonb, $3, $4, $5)
  ON CONFLICT (subscription_id, event_seq)
  DO UPDATE SET attempts = dead_letters.attempts + EXCLUDED.attempts, last_error = EXCLUDED.last_error, status = 'dead'
)
UPDATE subscriptions SET position = greatest(position, $2), attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = now()
WHERE id = $1`;

/** Subscriptions with events beyond their position (below `head`, when given), due at `now` and
 * not claimed by anyone. */
export async function findDue(
  pool: Pool,
  { exclude, limit, now, head }: { exclude: readonly string[]; limit: number; now: Date; head?: number },
): Promise<DueSubscriptions> {
  const { rows } = await pool.query<{ id: string }>(FIND_DUE, [exclude, limit, now, head ?? null]);
  if (rows.length > 0) return { due: rows.map((r) => r.id), waitMs: null };
  const next = await pool.query<{ wait_ms: number | null }>(NEXT_RETRY, [now, head ?? null]);
  return { due: [], waitMs: next.rows[0]?.wait_ms ?? null };
}

/** A subscription row held for one attempt: everything of a claim but reading the events. */
export type HeldSubscription = Omit<SubscriptionClaim, 'pendingEvents'> & { readonly tx: Tx };

/** Locks the subscription if it is due at `now` and nobody else holds it; null otherwise. Its
 * `head` is event_counter's. */
export async function holdSubscription(
  pool: Pool,
  subscriptionId: string,
  now: Date,
): Promise<HeldSubscription | null> {
  const held = await beginHeld<SubscriptionRow & { head: number }>(pool, claimStatement(subscriptionId, now));
  try {
    const row = held.first[0];
    if (!row) {
      await held.rollback();
      return null;
    }
    const subscription = toSubscriptionRecord(row);
    const { tx } = held;
    const finish = async (sql: string, params: unknown[]) => {
      try {
        await tx.query(sql, params);
      } catch (error) {
        await held.rollback();
        throw error;
      }
      await held.commit();
    };
    return {
      subscription,
      head: row.head,
      tx,
      acknowledge: (position) => held.commitWith(acknowledgeAndCommit(subscription.id, position)),
      fail: ({ attempts, error, retryAt, isolateThrough }) =>
        finish(FAIL, [subscription.id, attempts, error, retryAt, isolateThrough]),
      deadLetter: ({ event, attempts, error, at }) =>
        finish(DEAD_LETTER, [subscription.id, event.seq, attempts, error, at, JSON.stringify(event)]),
      release: () => held.rollback(),
    };
  } catch (error) {
    await held.rollback();
    throw error;
  }
}

/** The PostgreSQL backend's claim: the held row, and the matching events of the log in its window. */
export async function claimSubscription(
  pool: Pool,
  subscriptionId: string,
  now: Date,
): Promise<SubscriptionClaim | null> {
  const held = await holdSubscription(pool, subscriptionId, now);
  if (!held) return null;
  const { tx, subscription } = held;
  return {
    ...held,
    pendingEvents: async ({ after, upTo, limit }) => ({
      events: await readEvents(tx, { after, upTo, limit, types: subscription.topics }),
      scannedThrough: upTo,
    }),
  };
}
