// Delivery jobs in SQL: one per (notification, channel); claimed by workers with FOR UPDATE
// SKIP LOCKED under a lease, finished with their attempt logged, listed for admins.
import type { DeliveryStatus, NotificationKind } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { TimePosition } from '../domain/cursors';
import type { AttemptRecord, DeliveryChannel, DeliveryRecord, EmailContent, PushContent } from '../domain/records';
import { exactTimestamp } from './timestamps';

interface DeliveryRow {
  id: string;
  notification_id: string;
  user_id: string;
  kind: NotificationKind;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  content: EmailContent | PushContent;
  attempts: number;
  budget_from: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS =
  'd.id, d.notification_id, d.user_id, d.kind, d.channel, d.status, d.content, d.attempts, d.budget_from, d.next_attempt_at, d.last_error, d.created_at, d.finished_at';

const toRecord = (row: DeliveryRow): DeliveryRecord => ({
  id: row.id,
  notificationId: row.notification_id,
  userId: row.user_id,
  kind: row.kind,
  channel: row.channel,
  status: row.status,
  content: row.content,
  attempts: row.attempts,
  budgetFrom: row.budget_from,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

export interface NewDelivery {
  id: string;
  notificationId: string;
  userId: string;
  kind: NotificationKind;
  channel: DeliveryChannel;
  content: EmailContent | PushContent;
}

/** Queues the jobs, due at once; a (notification, channel) that already has one keeps it. */
export async function insertDeliveries(db: Queryable, jobs: readonly NewDelivery[], now: Date): Promise<number> {
  if (jobs.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO deliveries (id, notification_id, user_id, kind, channel, status, content, next_attempt_at, created_at, updated_at)
     SELECT id, notification_id, user_id, kind, channel, 'pending', content::jsonb, $7, $7, $7
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[])
       AS j(id, notification_id, user_id, kind, channel, content)
     ON CONFLICT ON CONSTRAINT deliveries_notification_channel DO NOTHING`,
    [
      jobs.map((j) => j.id),
      jobs.map((j) => j.notificationId),
      jobs.map((j) => j.userId),
      jobs.map((j) => j.kind),
      jobs.map((j) => j.channel),
      jobs.map((j) => JSON.stringify(j.content)),
      now,
    ],
  );
  return rowCount ?? 0;
}

/**
 * Claims up to `limit` due jobs (pending and due, or sending with a lease that ran out: a worker
 * that died) and counts the attempt. SKIP LOCKED lets concurrent workers claim disjoint jobs;
 * the lease keeps a claimed job from being claimed again while it is being sent.
 */
export async function claimDue(
  db: Queryable,
  { now, leaseMs, limit }: { now: Date; leaseMs: number; limit: number },
): Promise<DeliveryRecord[]> {
  const { rows } = await db.query<DeliveryRow>(
    `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1,
       lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000), updated_at = $1
     WHERE d.id IN (
       SELECT id FROM deliveries
       WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
       ORDER BY coalesce(next_attempt_at, lease_until)
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now, leaseMs, limit],
  );
  return rows.map(toRecord);
}

/** When the next pending job falls due (null when none is pending). */
export async function nextDueAt(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'`,
  );
  return rows[0]?.at ?? null;
}

export interface AttemptResult {
  deliveryId: string;
  attempt: number;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: Date | null;
  error: string | null;
  log: AttemptRecord;
}

/**
 * Records an attempt's result, if the job is still this attempt's (no other worker took it over
 * after its lease ran out). False when it was not.
 */
export async function finishAttempt(db: Queryable, r: AttemptResult): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE deliveries SET status = $3, next_attempt_at = $4, last_error = $5, lease_until = NULL,
       updated_at = $6, finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE $6::timestamptz END
     WHERE id = $1 AND status = 'sending' AND attempts = $2`,
    [r.deliveryId, r.attempt, r.status, r.nextAttemptAt, r.error, r.log.finishedAt],
  );
  if ((rowCount ?? 0) === 0) return false;
  await db.query(
    `INSERT INTO delivery_attempts (delivery_id, attempt, outcome, detail, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.deliveryId, r.attempt, r.log.outcome, r.log.detail, r.log.startedAt, r.log.finishedAt],
  );
  return true;
}

export async function findDelivery(db: Queryable, id: string, { lock = false } = {}): Promise<DeliveryRecord | null> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${COLUMNS} FROM deliveries d WHERE d.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listAttempts(db: Queryable, deliveryId: string): Promise<AttemptRecord[]> {
  const { rows } = await db.query<AttemptRecord>(
    `SELECT attempt, outcome, detail, started_at AS "startedAt", finished_at AS "finishedAt"
     FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [deliveryId],
  );
  return rows;
}

export async function listDeliveries(
  db: Queryable,
  filter: { status?: DeliveryStatus | undefined; userId?: string | undefined },
  page: { after?: TimePosition | undefined; limit: number },
): Promise<Array<{ delivery: DeliveryRecord; position: TimePosition }>> {
  const { rows } = await db.query<DeliveryRow & { cursor_at: string }>(
    `SELECT ${COLUMNS}, ${exactTimestamp('d.created_at')} AS cursor_at FROM deliveries d
     WHERE ($1::text IS NULL OR d.status = $1) AND ($2::uuid IS NULL OR d.user_id = $2)
       AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT $5`,
    [filter.status ?? null, filter.userId ?? null, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({ delivery: toRecord(row), position: { at: row.cursor_at, id: row.id } }));
}

/** Puts a failed job back in the queue with a fresh budget of attempts. */
export async function requeue(db: Queryable, id: string, now: Date): Promise<DeliveryRecord | null> {
  const { rows } = await db.query<DeliveryRow>(
    `UPDATE deliveries d SET status = 'pending', budget_from = d.attempts + 1, next_attempt_at = $2, last_error = NULL,
       finished_at = NULL, updated_at = $2
     WHERE d.id = $1 AND d.status = 'failed'
     RETURNING ${COLUMNS}`,
    [id, now],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Jobs not finished yet, by channel: the queue depth. */
export async function queueDepth(db: Queryable): Promise<Array<{ channel: DeliveryChannel; depth: number }>> {
  const { rows } = await db.query<{ channel: DeliveryChannel; depth: number }>(
    `SELECT channel, count(*)::int AS depth FROM deliveries WHERE status IN ('pending', 'sending') GROUP BY channel`,
  );
  return rows;
}
