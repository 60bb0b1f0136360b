// Which lessons an enrolment has completed: one row per (enrolment, lesson), so completing a
// lesson again is a no-op that keeps the first completion time.
import type { Queryable } from '@azora/service-kit';

/** Records the completion; `created` is false when it already existed (its first time kept). */
export async function recordCompletion(
  db: Queryable,
  enrollmentId: string,
  lessonId: string,
  now: Date,
): Promise<{ completedAt: Date; created: boolean }> {
  const inserted = await db.query<{ completed_at: Date }>(
    `INSERT INTO lesson_completions (enrollment_id, lesson_id, completed_at) VALUES ($1, $2, $3)
     ON CONFLICT (enrollment_id, lesson_id) DO NOTHING RETURNING completed_at`,
    [enrollmentId, lessonId, now],
  );
  if (inserted.rows[0]) return { completedAt: inserted.rows[0].completed_at, created: true };
  const existing = await db.query<{ completed_at: Date }>(
    `SELECT completed_at FROM lesson_completions WHERE enrollment_id = $1 AND lesson_id = $2`,
    [enrollmentId, lessonId],
  );
  if (!existing.rows[0]) throw new Error('a conflicting lesson completion is not visible');
  return { completedAt: existing.rows[0].completed_at, created: false };
}

export async function countCompletions(db: Queryable, enrollmentId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM lesson_completions WHERE enrollment_id = $1`,
    [enrollmentId],
  );
  return rows[0]?.count ?? 0;
}
