// What AI Family's tutor reads of Education, with its service credential: a learner's context
// (active enrolments, progress, next lesson) and published courses' content for its index.
import {
  keysetPage,
  type CourseContent,
  type LearnerContext,
  type PublishedCoursePage,
  type PublishedCourseQuery,
} from '@azora/contracts';
import type { z } from 'zod';
import { findPublishedCourseContent, listLearnerEnrollments, listPublishedCourses } from '../db/tutor-reads';
import { decodePublishedPosition, encodePublishedPosition } from '../domain/cursors';
import { courseNotFound } from '../domain/errors';
import { progressOf } from '../domain/progress';
import type { EducationContext } from './context';

/** A prompt has room for a handful of courses: the most recent enrolments. */
const LEARNER_COURSES = 20;

export async function learnerContext(ctx: EducationContext, userId: string): Promise<LearnerContext> {
  const enrollments = await listLearnerEnrollments(ctx.pool, userId, LEARNER_COURSES);
  return {
    userId,
    enrollments: enrollments.map((e) => ({
      courseId: e.courseId,
      title: e.title,
      skills: e.skills,
      ...progressOf(e.completedLessons, e.totalLessons, e.completedAt),
      nextLesson: e.nextLesson,
    })),
  };
}

/** A published course with every lesson's content; a draft is a 404 as it is for everyone. */
export async function publishedCourseContent(ctx: EducationContext, courseId: string): Promise<CourseContent> {
  const course = await findPublishedCourseContent(ctx.pool, courseId);
  if (!course) throw courseNotFound(courseId);
  return {
    courseId: course.courseId,
    title: course.title,
    description: course.description,
    skills: course.skills,
    publishedAt: course.publishedAt.toISOString(),
    lessons: course.lessons.map((l) => ({ id: l.id, title: l.title, position: l.position, content: l.content })),
  };
}

export async function publishedCourses(
  ctx: EducationContext,
  query: z.output<typeof PublishedCourseQuery>,
): Promise<PublishedCoursePage> {
  const after = query.cursor === undefined ? undefined : decodePublishedPosition(query.cursor);
  const rows = await listPublishedCourses(ctx.pool, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (row) => ({ courseId: row.courseId, title: row.title, publishedAt: row.publishedAt.toISOString() }),
    (last) => encodePublishedPosition(last.position),
  );
}
