// The offline tutor's index in SQL: which published courses are indexed or waiting to be, and
// their lesson passages with a weighted tsvector. Retrieval turns the question's words into an
// OR query (a question seldom repeats every word of the lesson that answers it) and ranks by
// ts_rank_cd, so passages sharing more of the question's words come first.
import type { Queryable } from '@azora/service-kit';
import type { CourseSuggestion, PassageRecord } from '../domain/records';

/** Notes a published course to index; false when it was already known. */
export async function enqueueCourse(
  db: Queryable,
  course: { courseId: string; title: string; now: Date },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO indexed_courses (course_id, title, status, next_attempt_at, created_at)
     VALUES ($1, $2, 'pending', $3, $3) ON CONFLICT (course_id) DO NOTHING`,
    [course.courseId, course.title, course.now],
  );
  return (rowCount ?? 0) > 0;
}

/** Takes up to `limit` due courses, pushing their next attempt to `leaseUntil` so no other worker takes them. */
export async function claimDueCourses(
  db: Queryable,
  { now, leaseUntil, limit }: { now: Date; leaseUntil: Date; limit: number },
): Promise<Array<{ courseId: string; attempts: number }>> {
  const { rows } = await db.query<{ course_id: string; attempts: number }>(
    `UPDATE indexed_courses SET next_attempt_at = $2, attempts = attempts + 1
     WHERE course_id IN (
       SELECT course_id FROM indexed_courses WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     RETURNING course_id, attempts`,
    [now, leaseUntil, limit],
  );
  return rows.map((r) => ({ courseId: r.course_id, attempts: r.attempts }));
}

export interface NewPassage {
  lessonId: string;
  lessonTitle: string;
  lessonPosition: number;
  part: number;
  body: string;
}

/** Replaces the course's passages and marks it indexed. */
export async function storeCoursePassages(
  db: Queryable,
  course: { courseId: string; title: string; now: Date },
  passages: readonly NewPassage[],
): Promise<void> {
  await db.query(`DELETE FROM passages WHERE course_id = $1`, [course.courseId]);
  if (passages.length > 0) {
    await db.query(
      `INSERT INTO passages (course_id, course_title, lesson_id, lesson_title, lesson_position, part, body)
       SELECT $1, $2, * FROM unnest($3::uuid[], $4::text[], $5::int[], $6::int[], $7::text[])`,
      [
        course.courseId,
        course.title,
        passages.map((p) => p.lessonId),
        passages.map((p) => p.lessonTitle),
        passages.map((p) => p.lessonPosition),
        passages.map((p) => p.part),
        passages.map((p) => p.body),
      ],
    );
  }
  await db.query(
    `INSERT INTO indexed_courses (course_id, title, status, next_attempt_at, indexed_at, created_at)
     VALUES ($1, $2, 'indexed', $3, $3, $3)
     ON CONFLICT (course_id) DO UPDATE SET status = 'indexed', title = EXCLUDED.title, indexed_at = $3, last_error = NULL`,
    [course.courseId, course.title, course.now],
  );
}

export async function markCourseGone(db: Queryable, courseId: string): Promise<void> {
  await db.query(`UPDATE indexed_courses SET status = 'gone' WHERE course_id = $1`, [courseId]);
}

export async function markCourseRetry(
  db: Queryable,
  courseId: string,
  { error, nextAttemptAt }: { error: string; nextAttemptAt: Date },
): Promise<void> {
  await db.query(`UPDATE indexed_courses SET last_error = $2, next_attempt_at = $3 WHERE course_id = $1`, [
    courseId,
    error.slice(0, 500),
    nextAttemptAt,
  ]);
}

// Each word may match a lesson's title (weight A) or text (C), not the course title (B): every
// passage of a course carries its title, so matching it would make all of them look relevant.
const QUESTION_QUERY = `SELECT to_tsquery('simple', string_agg(quote_literal(lexeme) || ':AC', ' | ')) AS query
  FROM unnest(to_tsvector('english', $1))`;

/** The passages of `courseIds` most relevant to the question, best first. */
export async function searchPassages(
  db: Queryable,
  { question, courseIds, limit }: { question: string; courseIds: readonly string[]; limit: number },
): Promise<PassageRecord[]> {
  if (courseIds.length === 0) return [];
  const { rows } = await db.query<{
    course_id: string;
    course_title: string;
    lesson_id: string;
    lesson_title: string;
    lesson_position: number;
    body: string;
    rank: number;
  }>(
    `WITH q AS (${QUESTION_QUERY})
     SELECT p.course_id, p.course_title, p.lesson_id, p.lesson_title, p.lesson_position, p.body,
       ts_rank_cd(p.search, q.query) AS rank
     FROM passages p, q
     WHERE q.query IS NOT NULL AND p.search @@ q.query AND p.course_id = ANY($2::uuid[])
     ORDER BY rank DESC, p.course_id, p.lesson_position, p.part
     LIMIT $3`,
    [question, courseIds, limit],
  );
  return rows.map((r) => ({
    courseId: r.course_id,
    courseTitle: r.course_title,
    lessonId: r.lesson_id,
    lessonTitle: r.lesson_title,
    lessonPosition: r.lesson_position,
    body: r.body,
    rank: r.rank,
  }));
}

/** Other indexed courses whose lessons match the question: one best lesson per course, titles only. */
export async function suggestCourses(
  db: Queryable,
  { question, excludeCourseIds, limit }: { question: string; excludeCourseIds: readonly string[]; limit: number },
): Promise<CourseSuggestion[]> {
  const { rows } = await db.query<{ course_id: string; course_title: string; lesson_title: string }>(
    `WITH q AS (${QUESTION_QUERY}),
     ranked AS (
       SELECT DISTINCT ON (p.course_id) p.course_id, p.course_title, p.lesson_title, ts_rank_cd(p.search, q.query) AS rank
       FROM passages p, q
       WHERE q.query IS NOT NULL AND p.search @@ q.query AND NOT (p.course_id = ANY($2::uuid[]))
       ORDER BY p.course_id, rank DESC
     )
     SELECT course_id, course_title, lesson_title FROM ranked ORDER BY rank DESC, course_id LIMIT $3`,
    [question, excludeCourseIds, limit],
  );
  return rows.map((r) => ({ courseId: r.course_id, courseTitle: r.course_title, lessonTitle: r.lesson_title }));
}
