// Recommendations in SQL: the caller's proven skills joined to the skills of open jobs, grouped
// by job, ranked by coverage (matched / the job's skill count, in millionths so that the cursor
// compares exactly) and then by recency. The ranking reads only open_job_skills, through an
// index-only scan of (skill, …) INCLUDE (skill_count, employer_id); only the page's jobs are read.
import type { Queryable } from '@azora/service-kit';
import type { ScoredPosition } from '../domain/cursors';
import type { JobRecord } from '../domain/records';
import { JOB_COLUMNS, exactTimestamp, toJobRecord, type JobRow } from './jobs';

export interface RankedJob {
  job: JobRecord;
  position: ScoredPosition;
}

/** Open jobs of other employers asking for at least one of the user's proven skills, best first. */
export async function recommendedJobs(
  db: Queryable,
  userId: string,
  { after, limit }: { after?: ScoredPosition | undefined; limit: number },
): Promise<RankedJob[]> {
  const { rows } = await db.query<JobRow & { score: number; cursor_at: string }>({
    name: 'forge_recommended_jobs',
    text: `WITH mine AS (SELECT DISTINCT skill FROM skill_proofs WHERE user_id = $1),
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
    values: [userId, after?.score ?? null, after?.at ?? null, after?.id ?? null, limit],
  });
  return rows.map((row) => ({
    job: toJobRecord(row),
    position: { score: row.score, at: row.cursor_at, id: row.id },
  }));
}
