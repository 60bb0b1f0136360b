// The job board in SQL: open jobs newest first (optionally of one skill, through the skill
// index), full-text search ranked by relevance, and an employer's own jobs.
import type { JobStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { RankedPosition, TimePosition } from '../domain/cursors';
import type { JobRecord } from '../domain/records';
import { JOB_COLUMNS, exactTimestamp, toJobRecord, type JobRow } from './jobs';

export interface BoardEntry<P> {
  job: JobRecord;
  position: P;
}

type TimedRow = JobRow & { cursor_at: string };

function timed(rows: TimedRow[]): BoardEntry<TimePosition>[] {
  return rows.map((row) => ({ job: toJobRecord(row), position: { at: row.cursor_at, id: row.id } }));
}

/** Open jobs, newest first; with `skill`, only those asking for it. */
export async function listOpenJobs(
  db: Queryable,
  filter: { skill?: string | undefined; after?: TimePosition | undefined; limit: number },
): Promise<BoardEntry<TimePosition>[]> {
  const after = [filter.after?.at ?? null, filter.after?.id ?? null];
  if (filter.skill !== undefined) {
    const { rows } = await db.query<TimedRow>(
      `SELECT ${JOB_COLUMNS}, ${exactTimestamp('s.posted_at')} AS cursor_at
       FROM open_job_skills s JOIN jobs j ON j.id = s.job_id
       WHERE s.skill = $1 AND ($2::timestamptz IS NULL OR (s.posted_at, s.job_id) < ($2::timestamptz, $3::uuid))
       ORDER BY s.posted_at DESC, s.job_id DESC
       LIMIT $4`,
      [filter.skill, ...after, filter.limit],
    );
    return timed(rows);
  }
  const { rows } = await db.query<TimedRow>(
    `SELECT ${JOB_COLUMNS}, ${exactTimestamp('j.posted_at')} AS cursor_at
     FROM jobs j
     WHERE j.status = 'open' AND ($1::timestamptz IS NULL OR (j.posted_at, j.id) < ($1::timestamptz, $2::uuid))
     ORDER BY j.posted_at DESC, j.id DESC
     LIMIT $3`,
    [...after, filter.limit],
  );
  return timed(rows);
}

/** Open jobs matching `q`, best rank first (then newest); with `skill`, only those asking for it. */
export async function searchOpenJobs(
  db: Queryable,
  filter: { q: string; skill?: string | undefined; after?: RankedPosition | undefined; limit: number },
): Promise<BoardEntry<RankedPosition>[]> {
  const after = filter.after;
  // websearch_to_tsquery accepts anything a person types (quotes, "or", -not) without erroring.
  const { rows } = await db.query<TimedRow & { rank_text: string }>(
    `SELECT ranked.*, ranked.rank::text AS rank_text FROM (
       SELECT ${JOB_COLUMNS}, ${exactTimestamp('j.posted_at')} AS cursor_at, ts_rank(j.search, query) AS rank
       FROM jobs j, websearch_to_tsquery('english', $1) AS query
       WHERE j.status = 'open' AND j.search @@ query AND ($2::text IS NULL OR j.skills @> ARRAY[$2::text])
     ) ranked
     WHERE $3::real IS NULL OR (ranked.rank, ranked.posted_at, ranked.id) < ($3::real, $4::timestamptz, $5::uuid)
     ORDER BY ranked.rank DESC, ranked.posted_at DESC, ranked.id DESC
     LIMIT $6`,
    [filter.q, filter.skill ?? null, after?.rank ?? null, after?.at ?? null, after?.id ?? null, filter.limit],
  );
  return rows.map((row) => ({
    job: toJobRecord(row),
    position: { rank: row.rank_text, at: row.cursor_at, id: row.id },
  }));
}

/** An employer's jobs of every status (or of `status`), newest first. */
export async function listEmployerJobs(
  db: Queryable,
  employerId: string,
  filter: { status?: JobStatus | undefined; after?: TimePosition | undefined; limit: number },
): Promise<BoardEntry<TimePosition>[]> {
  const { rows } = await db.query<TimedRow>(
    `SELECT ${JOB_COLUMNS}, ${exactTimestamp('j.created_at')} AS cursor_at
     FROM jobs j
     WHERE j.employer_id = $1 AND ($2::text IS NULL OR j.status = $2)
       AND ($3::timestamptz IS NULL OR (j.created_at, j.id) < ($3::timestamptz, $4::uuid))
     ORDER BY j.created_at DESC, j.id DESC
     LIMIT $5`,
    [employerId, filter.status ?? null, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
  );
  return timed(rows);
}
