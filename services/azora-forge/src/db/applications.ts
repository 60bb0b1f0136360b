// Applications in SQL: rows in and out, status changes, the applicant's own list and a job's
// applicants with the skills each proved.
import type { ApplicationStatus, JobStatus } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { TimePosition } from '../domain/cursors';
import type { ApplicantRecord, ApplicationRecord, ApplicationWithJob } from '../domain/records';
import { exactTimestamp } from './jobs';

interface ApplicationRow {
  id: string;
  job_id: string;
  user_id: string;
  cover_letter: string;
  status: ApplicationStatus;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `a.id, a.job_id, a.user_id, a.cover_letter, a.status, a.created_at, a.updated_at`;

function toRecord(row: ApplicationRow): ApplicationRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    userId: row.user_id,
    coverLetter: row.cover_letter,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts the application; false when the user already applied to the job. */
export async function insertApplication(
  db: Queryable,
  application: { id: string; jobId: string; userId: string; coverLetter: string; now: Date },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO applications (id, job_id, user_id, cover_letter, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'applied', $5, $5) ON CONFLICT (job_id, user_id) DO NOTHING`,
    [application.id, application.jobId, application.userId, application.coverLetter, application.now],
  );
  return rowCount === 1;
}

export async function findApplication(
  db: Queryable,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<ApplicationRecord | null> {
  const { rows } = await db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications a WHERE a.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findApplicationOf(db: Queryable, jobId: string, userId: string) {
  const { rows } = await db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications a WHERE a.job_id = $1 AND a.user_id = $2`,
    [jobId, userId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function setApplicationStatus(db: Queryable, id: string, status: ApplicationStatus, now: Date) {
  await db.query(`UPDATE applications SET status = $2, updated_at = $3 WHERE id = $1`, [id, status, now]);
}

/** A job's applications, oldest first, each with the skills its applicant proved. */
export async function listJobApplicants(
  db: Queryable,
  jobId: string,
  filter: { status?: ApplicationStatus | undefined; after?: TimePosition | undefined; limit: number },
): Promise<{ applicant: ApplicantRecord; position: TimePosition }[]> {
  const { rows } = await db.query<ApplicationRow & { skills: string[]; cursor_at: string }>(
    `SELECT ${COLUMNS}, ${exactTimestamp('a.created_at')} AS cursor_at,
       ARRAY(SELECT DISTINCT p.skill FROM skill_proofs p WHERE p.user_id = a.user_id) AS skills
     FROM applications a
     WHERE a.job_id = $1 AND ($2::text IS NULL OR a.status = $2)
       AND ($3::timestamptz IS NULL OR (a.created_at, a.id) > ($3::timestamptz, $4::uuid))
     ORDER BY a.created_at, a.id
     LIMIT $5`,
    [jobId, filter.status ?? null, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
  );
  return rows.map((row) => ({
    applicant: { ...toRecord(row), applicantSkills: row.skills },
    position: { at: row.cursor_at, id: row.id },
  }));
}

/** The user's applications, newest first, with their jobs. */
export async function listUserApplications(
  db: Queryable,
  userId: string,
  filter: { after?: TimePosition | undefined; limit: number },
): Promise<{ application: ApplicationWithJob; position: TimePosition }[]> {
  const { rows } = await db.query<
    ApplicationRow & {
      cursor_at: string;
      job_title: string;
      job_status: JobStatus;
      job_reward: string;
      job_employer_id: string;
    }
  >(
    `SELECT ${COLUMNS}, ${exactTimestamp('a.created_at')} AS cursor_at, j.title AS job_title, j.status AS job_status,
       j.reward AS job_reward, j.employer_id AS job_employer_id
     FROM applications a JOIN jobs j ON j.id = a.job_id
     WHERE a.user_id = $1 AND ($2::timestamptz IS NULL OR (a.created_at, a.id) < ($2::timestamptz, $3::uuid))
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT $4`,
    [userId, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
  );
  return rows.map((row) => ({
    application: {
      ...toRecord(row),
      job: {
        id: row.job_id,
        title: row.job_title,
        status: row.job_status,
        reward: Number(row.job_reward),
        employerId: row.job_employer_id,
      },
    },
    position: { at: row.cursor_at, id: row.id },
  }));
}
