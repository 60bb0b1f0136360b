// The reports in SQL. Active people, event counts and retention read the roll-up counters (a
// few rows per bucket). Funnels, whose steps and windows are the caller's choice, read the
// funnel timelines (one row per person, step and month: timelines.ts) for the days summarized,
// and raw events after those (one index range scan per step over (name, ts)).
import type { Queryable } from '@azora/service-kit';
import type { ActivePeriod, BucketValue, RetentionCell } from '../domain/ports';
import { bucketStart, dateKey } from '../domain/time-buckets';
import { MERGED_JOIN, RESOLVED_PERSON } from './timelines';

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

/**
 * People per step. Step one: each person's first event of that name in [from, until). Each
 * later step: the person's first event of that name at or after the previous step (strictly
 * after, when both steps share a name) and at most `windowMs` after step one.
 *
 * A step's times per person come from two places: their timeline rows (days summarized), where
 * the first time at or after an instant is a binary search (width_bucket counts the times up to
 * it), and the raw events since (an identified visitor's resolved to the user through
 * persons.merged_into), gathered into the same shape. A person is in step one with their
 * earliest time in range; each later step hash-joins the people still in the funnel.
 */
export async function funnel(
  db: Queryable,
  steps: readonly string[],
  windowMs: number,
  from: Date,
  until: Date,
): Promise<number[]> {
  const monthOf = (at: Date) => dateKey(bucketStart('month', at));
  const params: unknown[] = [
    from,
    until,
    `${windowMs} milliseconds`,
    monthOf(from),
    monthOf(new Date(until.getTime() - 1)),
    monthOf(new Date(until.getTime() + windowMs - 1)),
    ...steps,
  ];
  const stepParam = (i: number) => `$${7 + i}`;
  // Raw events are read from where the timelines end (all of them before the first summary).
  const rawFrom = `greatest($1, (SELECT coalesce(summarized_until, '-infinity') FROM timeline_progress))`;
  const ctes = [
    `s0 AS MATERIALIZED (
       SELECT person_id, min(at) AS entered, min(at) AS at FROM (
         SELECT person_id, times[width_bucket($1::timestamptz - interval '1 microsecond', times) + 1] AS at
         FROM timelines WHERE name = ${stepParam(0)} AND month BETWEEN $4::date AND $5::date
         UNION ALL
         SELECT ${RESOLVED_PERSON}, e.ts FROM events e ${MERGED_JOIN}
         WHERE e.name = ${stepParam(0)} AND e.ts >= ${rawFrom} AND e.ts < $2 AND e.person_id IS NOT NULL
       ) firsts
       WHERE at < $2
       GROUP BY person_id)`,
  ];
  for (let i = 1; i < steps.length; i++) {
    // The first time after `at`: width_bucket counts the times up to its argument.
    const after = steps[i] === steps[i - 1] ? 's.at' : `s.at - interval '1 microsecond'`;
    const next = `t.times[width_bucket(${after}, t.times) + 1]`;
    ctes.push(`s${i} AS MATERIALIZED (
       SELECT s.person_id, s.entered, min(${next}) AS at
       FROM (SELECT person_id, times FROM timelines
             WHERE name = ${stepParam(i)} AND month BETWEEN $4::date AND $6::date
             UNION ALL
             SELECT ${RESOLVED_PERSON}, array_agg(e.ts ORDER BY e.ts) FROM events e ${MERGED_JOIN}
             WHERE e.name = ${stepParam(i)} AND e.ts >= ${rawFrom} AND e.ts < $2::timestamptz + $3::interval
               AND e.person_id IS NOT NULL
             GROUP BY 1) t
       JOIN s${i - 1} s ON s.person_id = t.person_id
       WHERE ${next} <= s.entered + $3::interval
       GROUP BY s.person_id, s.entered)`);
  }
  const counts = steps.map((_, i) => `(SELECT count(*) FROM s${i})::bigint AS c${i}`).join(', ');
  const { rows } = await db.query<Record<string, number>>(`WITH ${ctes.join(',\n')} SELECT ${counts}`, params);
  const row = rows[0] ?? {};
  return steps.map((_, i) => row[`c${i}`] ?? 0);
}
