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

const UNTIL_WINDOW_ENDS = '$2::timestamptz + $3::interval';

/**
 * People per step. Step one: each person's first event of that name in [from, until). Each
 * later step: the person's first event of that name at or after the previous step (strictly
 * after, when both steps share a name) and at most `windowMs` after step one.
 *
 * An event names its stored person: the user, or a visitor who may since have been merged into
 * one. Step one is aggregated per stored person first and resolved to people after, so merges
 * are looked up once per stored person rather than once per event. Each later step reaches its
 * events through every stored id of the people still in the funnel (`k`: a person's own id and
 * their merged visitors', with when they entered and reached the step before).
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
    `first_by_id AS MATERIALIZED (
       SELECT person_id AS id, min(ts) AS at FROM events
       WHERE name = ${stepParam(0)} AND ts >= $1 AND ts < $2 AND person_id IS NOT NULL
       GROUP BY person_id)`,
    `s0 AS MATERIALIZED (
       SELECT coalesce(m.merged_into, f.id) AS person_id, min(f.at) AS entered, min(f.at) AS at
       FROM first_by_id f LEFT JOIN persons m ON m.person_id = f.id AND m.merged_into IS NOT NULL
       GROUP BY 1)`,
    `k0 AS MATERIALIZED (
       SELECT person_id AS id, person_id, entered, at FROM s0
       UNION ALL
       SELECT m.person_id, s.person_id, s.entered, s.at FROM persons m JOIN s0 s ON s.person_id = m.merged_into)`,
  ];
  for (let i = 1; i < steps.length; i++) {
    const after = steps[i] === steps[i - 1] ? '>' : '>=';
    ctes.push(`s${i} AS MATERIALIZED (
       SELECT k.person_id, k.entered, min(e.ts) AS at
       FROM events e JOIN k${i - 1} k ON k.id = e.person_id
       WHERE e.name = ${stepParam(i)} AND e.ts >= $1 AND e.ts < ${UNTIL_WINDOW_ENDS}
         AND e.ts ${after} k.at AND e.ts <= k.entered + $3::interval
       GROUP BY k.person_id, k.entered)`);
    if (i < steps.length - 1) {
      ctes.push(`k${i} AS MATERIALIZED (
       SELECT k.id, s.person_id, s.entered, s.at FROM k${i - 1} k JOIN s${i} s ON s.person_id = k.person_id)`);
    }
  }
  const counts = steps.map((_, i) => `(SELECT count(*) FROM s${i})::bigint AS c${i}`).join(', ');
  const { rows } = await db.query<Record<string, number>>(`WITH ${ctes.join(',\n')} SELECT ${counts}`, params);
  const row = rows[0] ?? {};
  return steps.map((_, i) => row[`c${i}`] ?? 0);
}
