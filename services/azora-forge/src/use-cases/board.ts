// Reading jobs: the board (newest, by skill, or searched), one job, an employer's own jobs, and
// the jobs recommended for the caller's proven skills, each with its match explained.
import type { z } from 'zod';
import {
  keysetPage,
  type JobListQuery,
  type JobPage,
  type MyJobsQuery,
  type RecommendedJobPage,
  type RecommendedJobsQuery,
} from '@azora/contracts';
import type { AuthenticatedUser } from '@azora/service-kit';
import { findApplicationOf } from '../db/applications';
import { listEmployerJobs, listOpenJobs, searchOpenJobs } from '../db/board';
import { findJob } from '../db/jobs';
import { FULL_SCORE, fullMatches, rankedByCoverage } from '../db/recommendations';
import { provenSkills } from '../db/skills';
import { manages, visibleJob, type Viewer } from '../domain/access';
import {
  decodeRankedPosition,
  decodeScoredPosition,
  decodeTimePosition,
  encodeRankedPosition,
  encodeScoredPosition,
  encodeTimePosition,
} from '../domain/cursors';
import type { JobRecord } from '../domain/records';
import { matchSkills } from '../domain/skill-match';
import { toJob } from '../domain/views';
import type { ForgeContext } from './context';

export async function listJobs(ctx: ForgeContext, query: z.output<typeof JobListQuery>): Promise<JobPage> {
  const limit = query.limit + 1;
  if (query.q !== undefined) {
    const after = query.cursor === undefined ? undefined : decodeRankedPosition(query.cursor);
    const rows = await searchOpenJobs(ctx.pool, { q: query.q, skill: query.skill, after, limit });
    return keysetPage(
      rows,
      query.limit,
      (r) => toJob(r.job),
      (last) => encodeRankedPosition(last.position),
    );
  }
  const after = query.cursor === undefined ? undefined : decodeTimePosition('p', query.cursor);
  const rows = await listOpenJobs(ctx.pool, { skill: query.skill, after, limit });
  return keysetPage(
    rows,
    query.limit,
    (r) => toJob(r.job),
    (last) => encodeTimePosition('p', last.position),
  );
}

/** A job the viewer may see: open ones for anyone, others for its employer, admins and its applicants. */
export async function readJob(ctx: ForgeContext, viewer: Viewer, id: string): Promise<JobRecord> {
  const job = await findJob(ctx.pool, id);
  // Whether the viewer applied matters only for a job they could not see otherwise: most reads
  // (open jobs, an employer's own) skip that query.
  const asked = viewer !== undefined && job !== null && job.status !== 'open' && !manages(viewer, job);
  const applied = asked && (await findApplicationOf(ctx.pool, id, viewer.id)) !== null;
  return visibleJob(viewer, job, id, applied);
}

export async function myJobs(
  ctx: ForgeContext,
  employer: AuthenticatedUser,
  query: z.output<typeof MyJobsQuery>,
): Promise<JobPage> {
  const after = query.cursor === undefined ? undefined : decodeTimePosition('e', query.cursor);
  const rows = await listEmployerJobs(ctx.pool, employer.id, { status: query.status, after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toJob(r.job),
    (last) => encodeTimePosition('e', last.position),
  );
}

/** Open jobs ranked by how well the user's proven skills cover them, ties broken by recency. */
export async function recommendJobs(
  ctx: ForgeContext,
  user: AuthenticatedUser,
  query: z.output<typeof RecommendedJobsQuery>,
): Promise<RecommendedJobPage> {
  const after = query.cursor === undefined ? undefined : decodeScoredPosition(query.cursor);
  const timer = ctx.metrics.recommendationDuration.startTimer();
  try {
    const skills = await provenSkills(ctx.pool, user.id);
    const limit = query.limit + 1;
    // Jobs the user fully covers come first, newest first: when the newest of them fill the page,
    // no grouping over every matching skill row is needed (see db/recommendations.ts).
    const stillFull = after === undefined || after.score === FULL_SCORE;
    const full = skills.length > 0 && stillFull ? await fullMatches(ctx.pool, user.id, skills, { after, limit }) : [];
    const rows =
      skills.length === 0
        ? []
        : full.length === limit
          ? full
          : await rankedByCoverage(ctx.pool, user.id, { after, limit });
    return keysetPage(
      rows,
      query.limit,
      (r) => ({ job: toJob(r.job), match: matchSkills(r.job.skills, skills) }),
      (last) => encodeScoredPosition(last.position),
    );
  } finally {
    timer();
  }
}
