// Enrolments in SQL. One row per (course, user), enforced by a unique constraint: granting
// access is an upsert, so concurrent or repeated requests and redelivered payments converge on
// the one row instead of racing a read against a write.
import type { Queryable } from '@azora/service-kit';
import type { EnrollmentPosition } from '../domain/cursors';
import type { EnrollmentOverview, EnrollmentRecord } from '../domain/records';
import { exactTimestamp } from './courses';

interface EnrollmentRow {
  id: string;
  course_id: string;
  user_id: string;
  status: 'active' | 'revoked';
  source: 'free' | 'payment';
  created_at: Date;
  completed_at: Date | null;
  revoked_at: Date | null;
}

const ENROLLMENT_COLUMNS =
  'e.id, e.course_id, e.user_id, e.status, e.source, e.created_at, e.completed_at, e.revoked_at';

/** An enrolment's progress counts, for a query over `enrollments e`. */
export const PROGRESS_COUNTS = `(SELECT count(*) FROM lessons l WHERE l.course_id = e.course_id)::int AS total_lessons,
       (SELECT count(*) FROM lesson_completions lc WHERE lc.enrollment_id = e.id)::int AS completed_lessons`;

function toEnrollmentRecord(row: EnrollmentRow): EnrollmentRecord {
  return {
    id: row.id,
    courseId: row.course_id,
    userId: row.user_id,
    status: row.status,
    source: row.source,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    revokedAt: row.revoked_at,
  };
}

/** The user's enrolment in the course; with `lock`, held until the transaction ends. */
export async function findEnrollment(
  db: Queryable,
  courseId: string,
  userId: string,
  { lock = false } = {},
): Promise<EnrollmentRecord | null> {
  const { rows } = await db.query<EnrollmentRow>(
    `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments e WHERE e.course_id = $1 AND e.user_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [courseId, userId],
  );
  return rows[0] ? toEnrollmentRecord(rows[0]) : null;
}

export interface Grant {
  id: string;
  courseId: string;
  userId: string;
  source: 'free' | 'payment';
  now: Date;
}

/**
 * Gives the user access: creates the enrolment, or reactivates a revoked one (progress kept).
 * Null when an active enrolment already exists: nothing changed.
 */
export async function activateEnrollment(
  db: Queryable,
  grant: Grant,
): Promise<{ enrollment: EnrollmentRecord; created: boolean } | null> {
  const { rows } = await db.query<EnrollmentRow & { created: boolean }>(
    `INSERT INTO enrollments AS e (id, course_id, user_id, status, source, created_at)
     VALUES ($1, $2, $3, 'active', $4, $5)
     ON CONFLICT ON CONSTRAINT enrollments_course_user
       DO UPDATE SET status = 'active', source = EXCLUDED.source, revoked_at = NULL WHERE e.status = 'revoked'
     RETURNING ${ENROLLMENT_COLUMNS}, (xmax = 0) AS created`,
    [grant.id, grant.courseId, grant.userId, grant.source, grant.now],
  );
  const row = rows[0];
  return row ? { enrollment: toEnrollmentRecord(row), created: row.created } : null;
}

/** Revokes an active paid enrolment; null when there was none to revoke. */
export async function revokePaidEnrollment(
  db: Queryable,
  courseId: string,
  userId: string,
  now: Date,
): Promise<EnrollmentRecord | null> {
  const { rows } = await db.query<EnrollmentRow>(
    `UPDATE enrollments e SET status = 'revoked', revoked_at = $3
     WHERE e.course_id = $1 AND e.user_id = $2 AND e.status = 'active' AND e.source = 'payment'
     RETURNING ${ENROLLMENT_COLUMNS}`,
    [courseId, userId, now],
  );
  return rows[0] ? toEnrollmentRecord(rows[0]) : null;
}

/** Sets completed_at once; false when it was already set. */
export async function markEnrollmentCompleted(db: Queryable, enrollmentId: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE enrollments SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL`,
    [enrollmentId, now],
  );
  return (rowCount ?? 0) > 0;
}

type OverviewRow = EnrollmentRow & {
  course_title: string;
  course_skills: string[];
  completed_lessons: number;
  total_lessons: number;
  cursor_at: string;
};

/** The user's enrolments, newest first, with their course and progress counts. */
export async function listUserEnrollments(
  db: Queryable,
  userId: string,
  page: { after?: EnrollmentPosition | undefined; limit: number },
): Promise<Array<{ overview: EnrollmentOverview; position: EnrollmentPosition }>> {
  const { rows } = await db.query<OverviewRow>(
    `SELECT ${ENROLLMENT_COLUMNS}, c.title AS course_title, c.skills AS course_skills,
       ${PROGRESS_COUNTS},
       ${exactTimestamp('e.created_at')} AS cursor_at
     FROM enrollments e JOIN courses c ON c.id = e.course_id
     WHERE e.user_id = $1 AND ($2::timestamptz IS NULL OR (e.created_at, e.id) < ($2::timestamptz, $3::uuid))
     ORDER BY e.created_at DESC, e.id DESC
     LIMIT $4`,
    [userId, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({
    overview: {
      ...toEnrollmentRecord(row),
      courseTitle: row.course_title,
      courseSkills: row.course_skills,
      completedLessons: row.completed_lessons,
      totalLessons: row.total_lessons,
    },
    position: { createdAt: row.cursor_at, id: row.id },
  }));
}
