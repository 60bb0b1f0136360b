// Lessons in SQL. Positions stay 1..n: inserting or moving a lesson shifts its neighbours in
// the same transaction (the unique position constraint is checked at commit). Callers hold the
// course's row lock, so two edits of one course never interleave.
import type { Queryable } from '@azora/service-kit';
import type { LessonRecord } from '../domain/records';

interface LessonRow {
  id: string;
  course_id: string;
  title: string;
  content: string;
  position: number;
  created_at: Date;
  updated_at: Date;
}

const LESSON_COLUMNS = 'id, course_id, title, content, position, created_at, updated_at';

function toLessonRecord(row: LessonRow): LessonRecord {
  return {
    id: row.id,
    courseId: row.course_id,
    title: row.title,
    content: row.content,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listLessons(db: Queryable, courseId: string): Promise<LessonRecord[]> {
  const { rows } = await db.query<LessonRow>(
    `SELECT ${LESSON_COLUMNS} FROM lessons WHERE course_id = $1 ORDER BY position`,
    [courseId],
  );
  return rows.map(toLessonRecord);
}

/** The lesson, only if it belongs to that course. */
export async function findLesson(db: Queryable, courseId: string, lessonId: string): Promise<LessonRecord | null> {
  const { rows } = await db.query<LessonRow>(`SELECT ${LESSON_COLUMNS} FROM lessons WHERE id = $1 AND course_id = $2`, [
    lessonId,
    courseId,
  ]);
  return rows[0] ? toLessonRecord(rows[0]) : null;
}

export interface NewLesson {
  id: string;
  courseId: string;
  title: string;
  content: string;
  position: number;
  now: Date;
}

/** Inserts at `position`, moving that lesson and the ones after it down by one. */
export async function insertLesson(db: Queryable, lesson: NewLesson): Promise<LessonRecord> {
  await shiftLessons(db, lesson.courseId, { from: lesson.position, to: null, delta: 1 });
  const { rows } = await db.query<LessonRow>(
    `INSERT INTO lessons (id, course_id, title, content, position, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${LESSON_COLUMNS}`,
    [lesson.id, lesson.courseId, lesson.title, lesson.content, lesson.position, lesson.now],
  );
  if (!rows[0]) throw new Error('the lesson insert returned no row');
  return toLessonRecord(rows[0]);
}

/** Moves the lessons at positions from..to (to null: through the end) by `delta`. */
export async function shiftLessons(
  db: Queryable,
  courseId: string,
  shift: { from: number; to: number | null; delta: 1 | -1 },
): Promise<void> {
  await db.query(
    `UPDATE lessons SET position = position + $4 WHERE course_id = $1 AND position >= $2 AND ($3::int IS NULL OR position <= $3)`,
    [courseId, shift.from, shift.to, shift.delta],
  );
}

export interface LessonChanges {
  title?: string | undefined;
  content?: string | undefined;
  position?: number | undefined;
}

export async function updateLesson(
  db: Queryable,
  lessonId: string,
  changes: LessonChanges,
  now: Date,
): Promise<LessonRecord> {
  const { rows } = await db.query<LessonRow>(
    `UPDATE lessons SET title = COALESCE($2, title), content = COALESCE($3, content), position = COALESCE($4, position), updated_at = $5
     WHERE id = $1 RETURNING ${LESSON_COLUMNS}`,
    [lessonId, changes.title ?? null, changes.content ?? null, changes.position ?? null, now],
  );
  if (!rows[0]) throw new Error(`lesson ${lessonId} vanished while its course was locked`);
  return toLessonRecord(rows[0]);
}
