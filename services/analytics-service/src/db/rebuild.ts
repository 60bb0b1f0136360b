// Every roll-up recomputed from the raw events kept, in one transaction: after a bulk load
// straight into the raw table, a restore, or a fix to a roll-up rule. It holds the roller's lock
// and reads one snapshot (REPEATABLE READ): the queued batches it sees are counted here and
// removed, those committed meanwhile stay queued for the roller. Ingest goes on. Links are
// re-derived as the roller makes them (a visitor's earliest event that also carries a user).
// Roll-ups of weeks whose raw events were dropped are lost, so it is an operator's decision,
// not a routine. The same rules as the roller, set-based; a test holds the two equal. The pool
// given must allow long statements.
import { withTransaction, type Pool } from '@azora/service-kit';
import { bucketStart } from '../domain/time-buckets';
import { takeRollerLock } from './rollups';

// Each event's person: its user, or its visitor's user once linked, or the visitor.
const RESOLVED = `(SELECT coalesce(l.user_id, e.person_id) AS person_id, e.ts
   FROM events e LEFT JOIN links l ON l.visitor = e.person_id AND e.user_id IS NULL
   WHERE e.person_id IS NOT NULL) AS resolved`;

const STEPS = [
  // Readers go on reading the old roll-ups until this commits.
  `LOCK TABLE persons, active_persons, active_counts, event_counts, retention_counts, timelines, timeline_progress
     IN EXCLUSIVE MODE`,
  `DELETE FROM rollup_queue`,
  `TRUNCATE persons, active_persons, active_counts, event_counts, retention_counts, timelines`,
  `CREATE TEMPORARY TABLE links ON COMMIT DROP AS
     SELECT DISTINCT ON (anonymous_id) md5('anonymous:' || anonymous_id)::uuid AS visitor, user_id, ts
     FROM events WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL
     ORDER BY anonymous_id, ts, id`,
  `INSERT INTO persons (person_id, first_seen) SELECT person_id, min(ts) FROM ${RESOLVED} GROUP BY person_id`,
  `INSERT INTO persons (person_id, first_seen, merged_into, merged_at)
     SELECT visitor, ts, user_id, ts FROM links`,
  `CREATE TEMPORARY TABLE person_days ON COMMIT DROP AS
     SELECT DISTINCT person_id, (ts AT TIME ZONE 'UTC')::date AS day FROM ${RESOLVED}`,
  `INSERT INTO active_persons (person_id, period, bucket) SELECT person_id, 'day', day FROM person_days`,
  `INSERT INTO active_persons (person_id, period, bucket)
     SELECT DISTINCT person_id, 'week', date_trunc('week', day::timestamp)::date FROM person_days`,
  `INSERT INTO active_persons (person_id, period, bucket)
     SELECT DISTINCT person_id, 'month', date_trunc('month', day::timestamp)::date FROM person_days`,
  `INSERT INTO active_counts (period, bucket, users)
     SELECT period, bucket, count(*) FROM active_persons GROUP BY period, bucket`,
  `INSERT INTO event_counts (name, hour, events)
     SELECT name, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*) FROM events GROUP BY 1, 2`,
  `INSERT INTO retention_counts (cohort, week, users)
     SELECT date_trunc('week', p.first_seen AT TIME ZONE 'UTC')::date, a.bucket, count(*)
     FROM active_persons a JOIN persons p ON p.person_id = a.person_id
     WHERE a.period = 'week' AND p.merged_into IS NULL GROUP BY 1, 2`,
  // The funnel timelines of every day that is over ($1: the start of today).
  `INSERT INTO timelines (name, month, person_id, times)
     SELECT e.name, date_trunc('month', e.ts AT TIME ZONE 'UTC')::date, coalesce(l.user_id, e.person_id),
            array_agg(DISTINCT e.ts ORDER BY e.ts)
     FROM events e LEFT JOIN links l ON l.visitor = e.person_id AND e.user_id IS NULL
     WHERE e.person_id IS NOT NULL AND e.ts < $1
     GROUP BY 1, 2, 3`,
  `UPDATE timeline_progress SET summarized_until = CASE WHEN EXISTS (SELECT 1 FROM events) THEN $1::timestamptz END`,
  `ANALYZE persons, active_persons, active_counts, event_counts, retention_counts, timelines`,
];

/** `now`: what the service's clock says (the days before its day are summarized into timelines). */
export async function rebuildRollups(pool: Pool, now = new Date()): Promise<void> {
  const today = bucketStart('day', now);
  await withTransaction(pool, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // A bulk rebuild may take minutes; the pool's statement timeout is for requests.
    await tx.query(`SET LOCAL statement_timeout = 0`);
    await takeRollerLock(tx);
    for (const step of STEPS) await tx.query(step, step.includes('$1') ? [today] : []);
  });
}
