// Skill proofs in SQL: one row per (user, skill, course), so a completion recorded twice adds
// nothing; a user's proofs and the set of skills they proved.
import type { Queryable } from '@azora/service-kit';
import type { SkillProofRecord } from '../domain/records';

export interface CourseCompletion {
  userId: string;
  courseId: string;
  skills: readonly string[];
  completedAt: Date;
  eventId: string;
}

/** Records the course's skills as proven by it; answers how many proofs are new. */
export async function recordProofs(db: Queryable, completion: CourseCompletion): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO skill_proofs (user_id, skill, course_id, completed_at, event_id)
     SELECT $1, skill, $2, $3, $4 FROM unnest($5::text[]) AS skill
     ON CONFLICT (user_id, skill, course_id) DO NOTHING`,
    [completion.userId, completion.courseId, completion.completedAt, completion.eventId, [...completion.skills]],
  );
  return rowCount ?? 0;
}

export async function listProofs(db: Queryable, userId: string): Promise<SkillProofRecord[]> {
  const { rows } = await db.query<{ skill: string; course_id: string; completed_at: Date }>(
    `SELECT skill, course_id, completed_at FROM skill_proofs WHERE user_id = $1 ORDER BY completed_at, skill`,
    [userId],
  );
  return rows.map((r) => ({ skill: r.skill, courseId: r.course_id, completedAt: r.completed_at }));
}

export async function provenSkills(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ skill: string }>(
    `SELECT DISTINCT skill FROM skill_proofs WHERE user_id = $1 ORDER BY skill`,
    [userId],
  );
  return rows.map((r) => r.skill);
}
