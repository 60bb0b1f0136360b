// Subscriptions in SQL: the idempotent upsert keyed by (subscriber, endpoint), reads, deletion
// and the backlog of each subscriber for /metrics. Where the log's head matters ('now', backlog),
// the JetStream backend passes its stream's last sequence; this backend reads event_counter.
import type { Pool, Queryable } from '@azora/service-kit';
import type { NewSubscription } from '../domain/ports';
import type { SubscriptionRecord } from '../domain/records';

export interface SubscriptionRow {
  id: string;
  subscriber: string;
  endpoint: string;
  topics: string[];
  secret: string;
  position: number;
  attempts: number;
  isolate_through: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

export const SUBSCRIPTION_COLUMNS =
  'id, subscriber, endpoint, topics, secret, position, attempts, isolate_through, next_attempt_at, last_error, created_at';

export function toSubscriptionRecord(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    subscriber: row.subscriber,
    endpoint: row.endpoint,
    topics: row.topics,
    secret: row.secret,
    position: row.position,
    attempts: row.attempts,
    isolateThrough: row.isolate_through,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/** Creates the subscription, or updates the topics of the existing one (same id, same secret).
 * A new one starting 'now' starts at `head` when given. */
export async function upsertSubscription(
  db: Queryable,
  input: NewSubscription & { head?: number },
): Promise<{ record: SubscriptionRecord; created: boolean }> {
  const { rows } = await db.query<SubscriptionRow & { created: boolean }>(
    `INSERT INTO subscriptions (subscriber, endpoint, topics, secret, position)
     VALUES ($1, $2, $3, $4, CASE WHEN $5 = 'now' THEN coalesce($6::bigint, (SELECT last_seq FROM event_counter)) ELSE 0 END)
     ON CONFLICT (subscriber, endpoint) DO UPDATE SET topics = EXCLUDED.topics, updated_at = now()
     RETURNING ${SUBSCRIPTION_COLUMNS}, (xmax = 0) AS created`,
    [input.subscriber, input.endpoint, input.topics, input.secret, input.from, input.head ?? null],
  );
  const row = rows[0];
  if (!row) throw new Error('the subscription upsert returned no row');
  return { record: toSubscriptionRecord(row), created: row.created };
}

export async function listSubscriptions(
  db: Queryable,
  filter: { subscriber?: string | undefined } = {},
): Promise<SubscriptionRecord[]> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ($1::text IS NULL OR subscriber = $1) ORDER BY subscriber, created_at, id`,
    [filter.subscriber ?? null],
  );
  return rows.map(toSubscriptionRecord);
}

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRecord | null> {
  const { rows } = await db.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1`, [
    id,
  ]);
  return rows[0] ? toSubscriptionRecord(rows[0]) : null;
}

/** Deletes the subscription and its dead letters; false when it does not exist. */
export async function deleteSubscription(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM subscriptions WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** max seq (`head` when given) - position, summed per subscriber. */
export async function readBacklog(pool: Pool, head?: number): Promise<Array<{ subscriber: string; backlog: number }>> {
  const { rows } = await pool.query<{ subscriber: string; backlog: number }>(
    `SELECT s.subscriber, sum(greatest(coalesce($1::bigint, c.last_seq) - s.position, 0))::float8 AS backlog
     FROM subscriptions s CROSS JOIN event_counter c GROUP BY s.subscriber`,
    [head ?? null],
  );
  return rows;
}
