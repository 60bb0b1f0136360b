// The roll-up queue in SQL: a stored batch adds one row with what the roll-ups need of its new
// events (written by the ingest statement itself); the roller takes the oldest rows, many at
// once, and deletes them in the transaction that applies them, so each batch reaches the
// roll-ups exactly once.
import type { Queryable } from '@azora/service-kit';
import type { LinkRequest, PlannedEvent } from '../domain/people-plan';

/** What the roll-ups need of a batch: each event's time, name and person, and its sign-ins. */
export interface QueuedBatch {
  readonly events: readonly PlannedEvent[];
  readonly links: readonly LinkRequest[];
}

/** The row's JSON: parallel arrays (times in epoch milliseconds), and sign-ins as tuples. */
interface Stored {
  t: number[];
  n: string[];
  p: Array<string | null>;
  l: Array<[visitor: string, user: string, at: number]>;
}

/**
 * The SELECT that makes a queue row of the rows of a CTE named `stored` (ts, name, person_id,
 * user_id, anonymous_id), queued at `queuedAt` (an SQL expression); no row when nothing was
 * stored. Sign-ins carry the visitor's key as domain/persons.ts makes it.
 */
export const QUEUE_ROW_OF_STORED = (queuedAt: string) => `
  SELECT ${queuedAt}, json_build_object(
    't', json_agg((extract(epoch FROM ts) * 1000)::bigint),
    'n', json_agg(name),
    'p', json_agg(person_id),
    'l', coalesce(json_agg(json_build_array(
           md5('anonymous:' || anonymous_id)::uuid, user_id, (extract(epoch FROM ts) * 1000)::bigint))
         FILTER (WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL), '[]'))::text
  FROM stored HAVING count(*) > 0`;

export interface Claimed extends QueuedBatch {
  /** When each claimed batch was queued. */
  readonly queuedAt: Date[];
}

/** Deletes and answers the oldest `limit` batches (their rows go when the transaction commits). */
export async function claimQueued(db: Queryable, limit: number): Promise<Claimed> {
  const { rows } = await db.query<{ id: number; queued_at: Date; events: string }>(
    `DELETE FROM rollup_queue WHERE id IN (SELECT id FROM rollup_queue ORDER BY id LIMIT $1)
     RETURNING id, queued_at, events`,
    [limit],
  );
  rows.sort((a, b) => a.id - b.id);
  const events: PlannedEvent[] = [];
  const links: LinkRequest[] = [];
  for (const row of rows) {
    const stored = JSON.parse(row.events) as Stored;
    stored.t.forEach((t, i) =>
      events.push({ timestamp: new Date(t), name: stored.n[i] as string, personId: stored.p[i] ?? null }),
    );
    for (const [visitor, user, at] of stored.l) links.push({ visitor, user, at: new Date(at) });
  }
  return { queuedAt: rows.map((r) => r.queued_at), events, links };
}

export async function queueState(db: Queryable): Promise<{ batches: number; oldest: Date | null }> {
  const { rows } = await db.query<{ batches: number; oldest: Date | null }>(
    `SELECT count(*)::int AS batches, min(queued_at) AS oldest FROM rollup_queue`,
  );
  return rows[0] ?? { batches: 0, oldest: null };
}
