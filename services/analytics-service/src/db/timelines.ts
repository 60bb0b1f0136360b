// Funnel timelines in SQL (migrations/005): each person's times of each event name per month.
// The roller summarizes every UTC day once it is over, adds the late events of summarized days
// as it rolls them up, and moves an identified visitor's rows to the user. All of it runs under
// the roller's lock, so a day is summarized either before an event reaches the roller (and the
// summary reads it from the raw events) or after (and the roller adds it): merging a time
// already there changes nothing, so an event counted both ways is still one time.
import type { Queryable } from '@azora/service-kit';
import { bucketStart, dateKey, DAY_MS } from '../domain/time-buckets';

/** Each raw event's person: the user a merged visitor now counts for, or its stored person. */
export const RESOLVED_PERSON = `coalesce(m.merged_into, e.person_id)`;
export const MERGED_JOIN = `LEFT JOIN persons m ON m.person_id = e.person_id AND m.merged_into IS NOT NULL`;

const UPSERT = `ON CONFLICT (name, month, person_id) DO UPDATE SET times = merge_times(timelines.times, excluded.times)`;

/** Days before this instant are in the timelines; null when none is yet. */
export async function summarizedUntil(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ until: Date | null }>(`SELECT summarized_until AS until FROM timeline_progress`);
  return rows[0]?.until ?? null;
}

/**
 * Summarizes the next day that is over (before `now`'s day) into the timelines: the day after
 * the last one summarized, or the day of the oldest raw event the first time. Answers the day,
 * or null when every day that is over is summarized (or there are no events yet).
 */
export async function summarizeNextDay(db: Queryable, now: Date): Promise<Date | null> {
  let day = await summarizedUntil(db);
  if (!day) {
    // Nothing is summarized yet: nothing comes before the oldest event's day.
    const { rows } = await db.query<{ oldest: Date | null }>(`SELECT min(ts) AS oldest FROM events`);
    if (!rows[0]?.oldest) return null;
    day = bucketStart('day', rows[0].oldest);
    await db.query(`UPDATE timeline_progress SET summarized_until = $1`, [day]);
  }
  if (day.getTime() >= bucketStart('day', now).getTime()) return null;
  const end = new Date(day.getTime() + DAY_MS);
  await db.query(
    `INSERT INTO timelines (name, month, person_id, times)
     SELECT e.name, date_trunc('month', e.ts AT TIME ZONE 'UTC')::date, ${RESOLVED_PERSON},
            array_agg(DISTINCT e.ts ORDER BY e.ts)
     FROM events e ${MERGED_JOIN}
     WHERE e.ts >= $1 AND e.ts < $2 AND e.person_id IS NOT NULL
     GROUP BY 1, 2, 3
     ${UPSERT}`,
    [day, end],
  );
  await db.query(`UPDATE timeline_progress SET summarized_until = $1`, [end]);
  return day;
}

/** Adds events of days already summarized (with their people resolved). */
export async function addLateTimes(
  db: Queryable,
  events: ReadonlyArray<{ name: string; personId: string; timestamp: Date }>,
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO timelines (name, month, person_id, times)
     SELECT name, date_trunc('month', ts AT TIME ZONE 'UTC')::date, person_id, array_agg(DISTINCT ts ORDER BY ts)
     FROM unnest($1::text[], $2::uuid[], $3::timestamptz[]) AS e (name, person_id, ts)
     GROUP BY 1, 2, 3
     ${UPSERT}`,
    [events.map((e) => e.name), events.map((e) => e.personId), events.map((e) => e.timestamp.toISOString())],
  );
}

/** Moves each merged visitor's timelines to their user (joined with the user's own). */
export async function moveTimelines(
  db: Queryable,
  merges: ReadonlyArray<{ visitor: string; user: string }>,
): Promise<void> {
  if (merges.length === 0) return;
  const params = [merges.map((m) => m.visitor), merges.map((m) => m.user)];
  // Grouped first: two visitors of one user may have rows for the same name and month.
  await db.query(
    `INSERT INTO timelines (name, month, person_id, times)
     SELECT t.name, t.month, m.target, array_agg(DISTINCT x ORDER BY x)
     FROM timelines t JOIN unnest($1::uuid[], $2::uuid[]) AS m (visitor, target) ON t.person_id = m.visitor,
          unnest(t.times) AS x
     GROUP BY 1, 2, 3
     ${UPSERT}`,
    params,
  );
  await db.query(`DELETE FROM timelines WHERE person_id = ANY($1::uuid[])`, [params[0]]);
}

/** Forgets times before `keptFrom` (the oldest raw events kept). */
export async function trimTimelines(db: Queryable, keptFrom: Date): Promise<void> {
  const month = dateKey(bucketStart('month', keptFrom));
  await db.query(`DELETE FROM timelines WHERE month < $1::date`, [month]);
  await db.query(`DELETE FROM timelines WHERE month = $1::date AND times[cardinality(times)] < $2`, [month, keptFrom]);
  await db.query(
    `UPDATE timelines SET times = ARRAY(SELECT t FROM unnest(times) AS t WHERE t >= $2 ORDER BY t)
     WHERE month = $1::date AND times[1] < $2`,
    [month, keptFrom],
  );
}
