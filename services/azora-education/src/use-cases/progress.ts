// Progress: completing lessons (idempotent; the course completes exactly once, when its last
// lesson is done) and the caller's enrolments with their progress.
import { keysetPage, type LessonCompletion, type MyEnrollmentPage, type MyEnrollmentsQuery } from '@azora/contracts';
import type { z } from 'zod';
import { withTransaction } from '@azora/service-kit';
import { findCourse } from '../db/courses';
import { findEnrollment, listUserEnrollments, markEnrollmentCompleted } from '../db/enrollments';
import { countCompletions, recordCompletion } from '../db/lesson-completions';
import { findLesson } from '../db/lessons';
import { visibleCourse } from '../domain/access';
import { decodeEnrollmentPosition, encodeEnrollmentPosition } from '../domain/cursors';
import { enrollmentRevoked, lessonNotFound, notEnrolled } from '../domain/errors';
import { coursePassed, progressOf } from '../domain/progress';
import { rewardFactsOf } from '../domain/rewards';
import { toMyEnrollment } from '../domain/views';
import type { Caller, EducationContext } from './context';

export async function completeLesson(
  ctx: EducationContext,
  caller: Caller,
  ids: { courseId: string; lessonId: string },
): Promise<LessonCompletion> {
  const { courseId, lessonId } = ids;
  const userId = caller.user.id;
  const meta = { subject: userId, requestId: caller.requestId };
  const outcome = await withTransaction(ctx.pool, async (tx) => {
    // The course's share lock makes the eligibility read here the one in force when this
    // completion commits: an admin's change waits for completions in progress, and they for it.
    const course = visibleCourse(caller.user, await findCourse(tx, courseId, { lock: 'share' }), courseId);
    if (!(await findLesson(tx, courseId, lessonId))) throw lessonNotFound(courseId, lessonId);
    // The enrolment's row lock serialises this user's completions in this course, so two
    // "last lessons" completing at once cannot both see the course as just finished.
    const enrollment = await findEnrollment(tx, courseId, userId, { lock: true });
    if (!enrollment) throw notEnrolled(courseId);
    if (enrollment.status !== 'active') throw enrollmentRevoked(courseId);
    const now = ctx.clock.now();
    const rewardFacts = rewardFactsOf(course);
    const lesson = await recordCompletion(tx, enrollment.id, lessonId, now);
    if (lesson.created)
      await ctx.publish(tx, 'education.lesson.completed', { courseId, lessonId, userId, ...rewardFacts }, meta);
    const completed = await countCompletions(tx, enrollment.id);
    let courseCompletedAt = enrollment.completedAt;
    let finishesCourse = false;
    if (courseCompletedAt === null && coursePassed(completed, course.lessonCount)) {
      finishesCourse = await markEnrollmentCompleted(tx, enrollment.id, now);
      if (finishesCourse) {
        courseCompletedAt = now;
        await ctx.publish(
          tx,
          'education.course.completed',
          { courseId, userId, skills: course.skills, ...rewardFacts },
          meta,
        );
      }
    }
    return {
      completion: {
        courseId,
        lessonId,
        completedAt: lesson.completedAt.toISOString(),
        progress: progressOf(completed, course.lessonCount, courseCompletedAt),
      },
      newLesson: lesson.created,
      newCourse: finishesCourse,
    };
  });
  if (outcome.newLesson) ctx.metrics.lessonsCompleted.inc();
  if (outcome.newCourse) ctx.metrics.coursesCompleted.inc();
  return outcome.completion;
}

export async function myEnrollments(
  ctx: EducationContext,
  caller: Caller,
  query: z.output<typeof MyEnrollmentsQuery>,
): Promise<MyEnrollmentPage> {
  const after = query.cursor === undefined ? undefined : decodeEnrollmentPosition(query.cursor);
  const rows = await listUserEnrollments(ctx.pool, caller.user.id, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (row) => toMyEnrollment(row.overview),
    (last) => encodeEnrollmentPosition(last.position),
  );
}
