// The reports in SQL. Active people, event counts and retention read the roll-up counters (a
// few rows per bucket). Funnels read raw events, since steps and windows are the caller's
// choice: one index range scan per step over (name, ts), people from the index itself (an
// identified visitor's events resolved to the user through persons.merged_into).
import type { Queryable } from '@azora/service-kit';
import type { ActivePeriod, BucketValue, RetentionCell } from '../domain/ports';
import { dateKey } from '../domain/time-buckets';

const utcDate = (text: string) => new Date(`${text}T00:00:00.000Z`);

export async function activeUsers(
  db: Queryable,
  period: ActivePeriod,
  first: Date,
  last: Date,
): Promise<BucketValue[]> {
  const { rows } = await db.query<{ bucket: string; users: number }>(
    `SELECT bucket::text AS bucket, users FROM active_counts
     WHERE period = $1 AND bucket BETWEEN $2::date AND $3::date AND users > 0 ORDER BY bucket`,
    [period, dateKey(first), dateKey(last)],
  );
  return rows.map((r) => ({ bucket: utcDate(r.bucket), value: r.users }));
}

export async function eventCounts(
  db: Queryable,
  name: string | null,
  interval: 'hour' | 'day',
  from: Date,
  until: Date,
): Promise<BucketValue[]> {
  const bucket = interval === 'hour' ? 'hour' : `date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  const { rows } = await db.query<{ bucket: Date; events: number }>(
    `SELECT ${bucket} AS bucket, sum(events)::bigint AS events FROM event_counts
     WHERE hour >= $1 AND hour < $2 AND ($3::text IS NULL OR name = $3)
     GROUP BY 1 HAVING sum(events) > 0 ORDER BY 1`,
    [from, until, name],
  );
  return rows.map((r) => ({ bucket: r.bucket, value: r.events }));
}

export async function retention(db: Queryable, firstCohort: Date, lastWeek: Date): Promise<RetentionCell[]> {
  const { rows } = await db.query<{ cohort: string; week: string; users: number }>(
    `SELECT cohort::text AS cohort, week::text AS week, users FROM retention_counts
     WHERE cohort BETWEEN $1::date AND $2::date AND week <= $2::date AND users > 0
     ORDER BY cohort, week`,
    [dateKey(firstCohort), dateKey(lastWeek)],
  );
  return rows.map((r) => ({ cohort: utcDate(r.cohort), week: utcDate(r.week), users: r.users }));
}

// An event's person: its stored person, or the user an identified visitor was merged into.
const stepEvents = (name: string, before: string) => `(
  SELECT coalesce(m.merged_into, e.person_id) AS person_id, e.ts
  FROM events e LEFT JOIN persons m ON m.person_id = e.person_id AND m.merged_into IS NOT NULL
  WHERE e.name = ${name} AND e.ts >= $1 AND e.ts < ${before} AND e.person_id IS NOT NULL)`;
const UNTIL = '$2::timestamptz';
const UNTIL_WINDOW_ENDS = '$2::timestamptz + $3::interval';

/**
 * People per step. Step one: each person's first event of that name in [from, until). Each
 * later step: the person's first event of that name at or after the previous step (strictly
 * after, when both steps share a name) and at most `windowMs` after step one.
 */
export async function funnel(
  db: Queryable,
  steps: readonly string[],
  windowMs: number,
  from: Date,
  until: Date,
): Promise<number[]> {
  const params: unknown[] = [from, until, `${windowMs} milliseconds`, ...steps];
  const stepParam = (i: number) => `$${4 + i}`;
  const ctes = [
    `s0 AS (
       SELECT person_id, min(ts) AS entered, min(ts) AS at FROM ${stepEvents(stepParam(0), UNTIL)} e
       GROUP BY person_id)`,
  ];
  for (let i = 1; i < steps.length; i++) {
    const after = steps[i] === steps[i - 1] ? '>' : '>=';
    ctes.push(`s${i} AS (
       SELECT s.person_id, s.entered, min(e.ts) AS at
       FROM s${i - 1} s JOIN ${stepEvents(stepParam(i), UNTIL_WINDOW_ENDS)} e ON e.person_id = s.person_id
       WHERE e.ts ${after} s.at AND e.ts <= s.entered + $3::interval
       GROUP BY s.person_id, s.entered)`);
  }
  const counts = steps.map((_, i) => `(SELECT count(*) FROM s${i})::bigint AS c${i}`).join(', ');
  const { rows } = await db.query<Record<string, number>>(`WITH ${ctes.join(',\n')} SELECT ${counts}`, params);
  const row = rows[0] ?? {};
  return steps.map((_, i) => row[`c${i}`] ?? 0);
}
