// Jobs in SQL: rows in and out, the row locks that order every change of one job (and every
// escrow call made for it) one behind the other, the status changes with their timestamps, and
// the skills of open jobs that recommendations rank from.
import type { JobStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { JobRecord } from '../domain/records';

export interface JobRow {
  id: string;
  employer_id: string;
  title: string;
  description: string;
  skills: string[];
  reward: string;
  status: JobStatus;
  idempotency_key: string | null;
  hired_application_id: string | null;
  hired_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  posted_at: Date | null;
  filled_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
}

export const JOB_COLUMNS = `j.id, j.employer_id, j.title, j.description, j.skills, j.reward, j.status, j.idempotency_key,
  j.hired_application_id, j.hired_user_id, j.created_at, j.updated_at, j.posted_at, j.filled_at, j.completed_at, j.closed_at`;

/** A timestamp as exact text (microseconds, UTC): what a cursor carries. */
export const exactTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    employerId: row.employer_id,
    title: row.title,
    description: row.description,
    skills: row.skills,
    // bigint arrives as text; rewards stay far below 2^53 (the contract caps them at 10^12).
    reward: Number(row.reward),
    status: row.status,
    idempotencyKey: row.idempotency_key,
    hiredApplicationId: row.hired_application_id,
    hiredUserId: row.hired_user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    postedAt: row.posted_at,
    filledAt: row.filled_at,
    completedAt: row.completed_at,
    closedAt: row.closed_at,
  };
}

export interface NewJob {
  id: string;
  employerId: string;
  title: string;
  description: string;
  skills: string[];
  reward: number;
  idempotencyKey: string | null;
  now: Date;
}

/** Inserts the job as pending; false when the employer already has a job with this Idempotency-Key. */
export async function insertPendingJob(db: Queryable, job: NewJob): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO jobs (id, employer_id, title, description, skills, reward, status, idempotency_key, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8)
     ON CONFLICT (employer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
    [job.id, job.employerId, job.title, job.description, job.skills, job.reward, job.idempotencyKey, job.now],
  );
  return rowCount === 1;
}

/**
 * How a read holds the job's row until the transaction ends: `update` to change it (changes and
 * escrow calls for one job queue one behind another), `skip` to change it unless someone else
 * is at it (the reconciler), `share` to act on what it says now (applying).
 */
export type JobLock = 'update' | 'skip' | 'share';

const LOCK_CLAUSES: Record<JobLock, string> = {
  update: ' FOR UPDATE OF j',
  skip: ' FOR UPDATE OF j SKIP LOCKED',
  share: ' FOR SHARE OF j',
};

export async function findJob(db: Queryable, id: string, { lock }: { lock?: JobLock } = {}): Promise<JobRecord | null> {
  const { rows } = await db.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = $1${lock ? LOCK_CLAUSES[lock] : ''}`,
    [id],
  );
  return rows[0] ? toJobRecord(rows[0]) : null;
}

export async function findJobByKey(db: Queryable, employerId: string, key: string): Promise<JobRecord | null> {
  const { rows } = await db.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.employer_id = $1 AND j.idempotency_key = $2`,
    [employerId, key],
  );
  return rows[0] ? toJobRecord(rows[0]) : null;
}

/** A pending job whose hold Mint refused: it was never posted. */
export async function deleteJob(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM jobs WHERE id = $1 AND status = 'pending'`, [id]);
}

/** Puts a pending job on the board: open, with its skills indexed for recommendations. */
export async function markOpen(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(`UPDATE jobs SET status = 'open', posted_at = $2, updated_at = $2 WHERE id = $1`, [id, now]);
  await db.query(
    `INSERT INTO open_job_skills (job_id, skill, skill_count, posted_at, employer_id)
     SELECT j.id, s.skill, cardinality(j.skills), j.posted_at, j.employer_id FROM jobs j, unnest(j.skills) AS s(skill)
     WHERE j.id = $1`,
    [id],
  );
}

async function leaveBoard(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM open_job_skills WHERE job_id = $1`, [id]);
}

export async function markFilled(
  db: Queryable,
  id: string,
  hire: { applicationId: string; userId: string },
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = 'filled', hired_application_id = $2, hired_user_id = $3, filled_at = $4, updated_at = $4
     WHERE id = $1`,
    [id, hire.applicationId, hire.userId, now],
  );
  await leaveBoard(db, id);
}

/** The intent to release (`completing`) or refund (`closing`), committed before Mint is called. */
export async function markSettling(db: Queryable, id: string, status: 'completing' | 'closing', now: Date) {
  await db.query(`UPDATE jobs SET status = $2, updated_at = $3 WHERE id = $1`, [id, status, now]);
  if (status === 'closing') await leaveBoard(db, id);
}

export async function markSettled(db: Queryable, id: string, status: 'completed' | 'closed', now: Date) {
  const stamp = status === 'completed' ? 'completed_at' : 'closed_at';
  await db.query(`UPDATE jobs SET status = $2, ${stamp} = $3, updated_at = $3 WHERE id = $1`, [id, status, now]);
}

/** Jobs whose escrow call has no recorded outcome, untouched for `minAgeMs`, oldest first. */
export async function unsettledJobs(
  db: Queryable,
  { before, limit }: { before: Date; limit: number },
): Promise<{ id: string; status: JobStatus }[]> {
  const { rows } = await db.query<{ id: string; status: JobStatus }>(
    `SELECT id, status FROM jobs WHERE status IN ('pending', 'completing', 'closing') AND updated_at <= $1
     ORDER BY updated_at LIMIT $2`,
    [before, limit],
  );
  return rows;
}
