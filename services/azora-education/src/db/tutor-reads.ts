// The reads AI Family's tutor makes of Education (service credential only): a learner's active
// enrolments with progress and next lesson, a published course with its lessons' content, and
// the published courses in publishing order. SQL only; read-only.
import type { Queryable } from '@azora/service-kit';
import type { LessonRecord } from '../domain/records';
import { exactTimestamp } from './courses';
import { PROGRESS_COUNTS } from './enrollments';
import { listLessons } from './lessons';

export interface LearnerEnrollmentRecord {
  courseId: string;
  title: string;
  skills: string[];
  completedLessons: number;
  totalLessons: number;
  completedAt: Date | null;
  nextLesson: { id: string; title: string; position: number } | null;
}

interface LearnerRow {
  course_id: string;
  title: string;
  skills: string[];
  completed_at: Date | null;
  total_lessons: number;
  completed_lessons: number;
  next_id: string | null;
  next_title: string | null;
  next_position: number | null;
}

/** The user's active enrolments, newest first, each with its first lesson not yet completed. */
export async function listLearnerEnrollments(
  db: Queryable,
  userId: string,
  limit: number,
): Promise<LearnerEnrollmentRecord[]> {
  const { rows } = await db.query<LearnerRow>(
    `SELECT e.course_id, c.title, c.skills, e.completed_at,
       ${PROGRESS_COUNTS},
       nl.id AS next_id, nl.title AS next_title, nl.position AS next_position
     FROM enrollments e JOIN courses c ON c.id = e.course_id
     LEFT JOIN LATERAL (
       SELECT l.id, l.title, l.position FROM lessons l
       WHERE l.course_id = e.course_id
         AND NOT EXISTS (SELECT 1 FROM lesson_completions lc WHERE lc.enrollment_id = e.id AND lc.lesson_id = l.id)
       ORDER BY l.position LIMIT 1
     ) nl ON true
     WHERE e.user_id = $1 AND e.status = 'active'
     ORDER BY e.created_at DESC, e.id DESC
     LIMIT $2`,
    [userId, limit],
  );
  return rows.map((row) => ({
    courseId: row.course_id,
    title: row.title,
    skills: row.skills,
    completedLessons: row.completed_lessons,
    totalLessons: row.total_lessons,
    completedAt: row.completed_at,
    nextLesson:
      row.next_id !== null && row.next_title !== null && row.next_position !== null
        ? { id: row.next_id, title: row.next_title, position: row.next_position }
        : null,
  }));
}

export interface PublishedCourseContentRecord {
  courseId: string;
  title: string;
  description: string;
  skills: string[];
  publishedAt: Date;
  lessons: LessonRecord[];
}

/** A published course and its lessons in order; null for an unknown course or a draft. */
export async function findPublishedCourseContent(
  db: Queryable,
  courseId: string,
): Promise<PublishedCourseContentRecord | null> {
  const { rows } = await db.query<{
    id: string;
    title: string;
    description: string;
    skills: string[];
    published_at: Date;
  }>(`SELECT id, title, description, skills, published_at FROM courses WHERE id = $1 AND status = 'published'`, [
    courseId,
  ]);
  const course = rows[0];
  if (!course) return null;
  return {
    courseId: course.id,
    title: course.title,
    description: course.description,
    skills: course.skills,
    publishedAt: course.published_at,
    lessons: await listLessons(db, courseId),
  };
}

export interface PublishedCourseEntry {
  courseId: string;
  title: string;
  publishedAt: Date;
  position: { publishedAt: string; id: string };
}

/** Published courses, oldest publication first, after the keyset position `after`. */
export async function listPublishedCourses(
  db: Queryable,
  page: { after?: { publishedAt: string; id: string } | undefined; limit: number },
): Promise<PublishedCourseEntry[]> {
  const { rows } = await db.query<{ id: string; title: string; published_at: Date; cursor_at: string }>(
    `SELECT id, title, published_at, ${exactTimestamp('published_at')} AS cursor_at
     FROM courses
     WHERE status = 'published'
       AND ($1::timestamptz IS NULL OR (published_at, id) > ($1::timestamptz, $2::uuid))
     ORDER BY published_at, id
     LIMIT $3`,
    [page.after?.publishedAt ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({
    courseId: row.id,
    title: row.title,
    publishedAt: row.published_at,
    position: { publishedAt: row.cursor_at, id: row.id },
  }));
}
