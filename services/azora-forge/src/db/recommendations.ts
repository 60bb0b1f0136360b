// Recommendations in SQL, ranked by coverage (matched / the job's skill count, in millionths so
// that the cursor compares exactly) and then by recency. Two queries, one exact ranking:
//   - fullMatches walks open jobs newest first (jobs_open_recent) through a bounded window and
//     keeps those whose every skill the user proved (`skills <@ proven`): if it fills the page,
//     that page is the ranking's top (nothing scores above 1, and it went newest first);
//   - rankedByCoverage joins the user's skills to open_job_skills (an index-only scan of
//     open_job_skills_by_skill), groups by job and sorts: exact for every page, but its cost grows
//     with the rows the user's skills match, so it runs only when the window did not fill the page.
import type { Queryable } from '@azora/service-kit';
import type { ScoredPosition } from '../domain/cursors';
import type { JobRecord } from '../domain/records';
import { JOB_COLUMNS, exactTimestamp, toJobRecord, type JobRow } from './jobs';

export interface RankedJob {
  job: JobRecord;
  position: ScoredPosition;
}

/** Full coverage, in the millionths the cursor carries. */
export const FULL_SCORE = 1_000_000;

/** How many of the newest open jobs fullMatches looks through before giving up on filling the page. */
export const FULL_MATCH_WINDOW = 5_000;

/**
 * Up to `limit` jobs (after `after`) whose every skill is in `skills`, newest first, found among the
 * FULL_MATCH_WINDOW newest open jobs. Fewer than `limit` means the window was not enough: the
 * caller must rank with rankedByCoverage instead.
 */
export async function fullMatches(
  db: Queryable,
  userId: string,
  skills: readonly string[],
  { after, limit }: { after?: ScoredPosition | undefined; limit: number },
): Promise<RankedJob[]> {
  const { rows } = await db.query<JobRow & { cursor_at: string }>(
    // The window is a subquery with its own LIMIT, read lazily newest first from jobs_open_recent
    // (which carries skills and employer_id: an index-only scan), so the walk stops as soon as the
    // page is full; only the page's jobs are then read from the table.
    `SELECT ${JOB_COLUMNS}, ${exactTimestamp('j.posted_at')} AS cursor_at
     FROM (
       SELECT w.id FROM (
         SELECT id, posted_at, skills, employer_id FROM jobs
         WHERE status = 'open' AND ($2::timestamptz IS NULL OR (posted_at, id) < ($2::timestamptz, $3::uuid))
         ORDER BY posted_at DESC, id DESC
         LIMIT $5
       ) w
       WHERE w.skills <@ $4::text[] AND w.employer_id <> $1
       ORDER BY w.posted_at DESC, w.id DESC
       LIMIT $6
     ) page JOIN jobs j ON j.id = page.id
     ORDER BY j.posted_at DESC, j.id DESC`,
    [userId, after?.at ?? null, after?.id ?? null, [...skills], FULL_MATCH_WINDOW, limit],
  );
  return rows.map((row) => ({
    job: toJobRecord(row),
    position: { score: FULL_SCORE, at: row.cursor_at, id: row.id },
  }));
}

/** Open jobs of other employers asking for at least one of the user's proven skills, best first. */
export async function rankedByCoverage(
  db: Queryable,
  userId: string,
  { after, limit }: { after?: ScoredPosition | undefined; limit: number },
): Promise<RankedJob[]> {
  const { rows } = await db.query<JobRow & { score: number; cursor_at: string }>(
    `WITH mine AS (SELECT DISTINCT skill FROM skill_proofs WHERE user_id = $1),
     ranked AS (
       SELECT s.job_id, (count(*) * 1000000 / min(s.skill_count))::int AS score, min(s.posted_at) AS posted_at
       FROM open_job_skills s JOIN mine m ON m.skill = s.skill
       WHERE s.employer_id <> $1
       GROUP BY s.job_id
     ),
     page AS (
       SELECT job_id, score, posted_at FROM ranked
       WHERE $2::int IS NULL OR (score, posted_at, job_id) < ($2::int, $3::timestamptz, $4::uuid)
       ORDER BY score DESC, posted_at DESC, job_id DESC
       LIMIT $5
     )
     SELECT ${JOB_COLUMNS}, p.score, ${exactTimestamp('p.posted_at')} AS cursor_at
     FROM page p JOIN jobs j ON j.id = p.job_id
     ORDER BY p.score DESC, p.posted_at DESC, p.job_id DESC`,
    [userId, after?.score ?? null, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map((row) => ({
    job: toJobRecord(row),
    position: { score: row.score, at: row.cursor_at, id: row.id },
  }));
}
