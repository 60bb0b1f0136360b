// Push subscriptions in SQL. The endpoint is unique: registering it again refreshes its keys,
// and moves it to the user who registered it last (the browser's current user).
import type { Queryable } from '@azora/service-kit';
import type { PushSubscriptionRecord } from '../domain/records';

interface SubscriptionRow {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  expiration_time: Date | null;
  created_at: Date;
}

const COLUMNS = 's.id, s.user_id, s.endpoint, s.p256dh, s.auth, s.expiration_time, s.created_at';

const toRecord = (row: SubscriptionRow): PushSubscriptionRecord => ({
  id: row.id,
  userId: row.user_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  expirationTime: row.expiration_time,
  createdAt: row.created_at,
});

export interface NewSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  expirationTime: Date | null;
  now: Date;
}

/** Inserts or refreshes the subscription of `endpoint`; `created` is false for a known endpoint. */
export async function upsertSubscription(
  db: Queryable,
  s: NewSubscription,
): Promise<{ subscription: PushSubscriptionRecord; created: boolean }> {
  const { rows } = await db.query<SubscriptionRow & { created: boolean }>(
    `INSERT INTO push_subscriptions AS s (id, user_id, endpoint, p256dh, auth, expiration_time, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
       expiration_time = EXCLUDED.expiration_time, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [s.id, s.userId, s.endpoint, s.p256dh, s.auth, s.expirationTime, s.now],
  );
  const row = rows[0] as SubscriptionRow & { created: boolean };
  return { subscription: toRecord(row), created: row.created };
}

export async function listSubscriptions(db: Queryable, userId: string): Promise<PushSubscriptionRecord[]> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM push_subscriptions s WHERE s.user_id = $1 ORDER BY s.created_at, s.id`,
    [userId],
  );
  return rows.map(toRecord);
}

export async function hasSubscription(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM push_subscriptions WHERE user_id = $1 LIMIT 1`, [userId]);
  return rows.length > 0;
}

/** Deletes the user's own subscription; false when they have none with that id. */
export async function deleteSubscription(db: Queryable, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2`, [id, userId]);
  return (rowCount ?? 0) > 0;
}

/** Forgets endpoints a push service said are gone (404, 410). */
export async function deleteEndpoints(db: Queryable, endpoints: readonly string[]): Promise<number> {
  if (endpoints.length === 0) return 0;
  const { rowCount } = await db.query(`DELETE FROM push_subscriptions WHERE endpoint = ANY($1::text[])`, [endpoints]);
  return rowCount ?? 0;
}
