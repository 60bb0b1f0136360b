// The roll-up counters in SQL: a roll-up's summed changes added in one statement per table.
import type { Queryable } from '@azora/service-kit';
import type { RollupDeltas } from '../domain/rollup-deltas';

export async function addToCounters(db: Queryable, deltas: RollupDeltas): Promise<void> {
  const events = deltas.eventCounts();
  if (events.length > 0)
    await db.query(
      `INSERT INTO event_counts AS c (name, hour, events)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[])
       ON CONFLICT (name, hour) DO UPDATE SET events = c.events + excluded.events`,
      [events.map((e) => e.name), events.map((e) => e.hour), events.map((e) => e.events)],
    );
  const active = deltas.activeCounts();
  if (active.length > 0)
    await db.query(
      `INSERT INTO active_counts AS c (period, bucket, users)
       SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
       ON CONFLICT (period, bucket) DO UPDATE SET users = c.users + excluded.users`,
      [active.map((a) => a.period), active.map((a) => a.bucket), active.map((a) => a.users)],
    );
  const retention = deltas.retentionCounts();
  if (retention.length > 0)
    await db.query(
      `INSERT INTO retention_counts AS c (cohort, week, users)
       SELECT * FROM unnest($1::date[], $2::date[], $3::bigint[])
       ON CONFLICT (cohort, week) DO UPDATE SET users = c.users + excluded.users`,
      [retention.map((r) => r.cohort), retention.map((r) => r.week), retention.map((r) => r.users)],
    );
}
