// Authoring a course: create it as a draft, change it while it is a draft, publish it once it
// has lessons. Every change holds the course's row lock for its transaction.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreateCourseRequest, UpdateCourseRequest } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { findCourse, insertCourse, markPublished, updateCourse } from '../db/courses';
import { editableCourse, managedCourse } from '../domain/access';
import { courseHasNoLessons } from '../domain/errors';
import type { CourseRecord } from '../domain/records';
import type { Caller, EducationContext } from './context';

async function reload(db: Parameters<typeof findCourse>[0], id: string): Promise<CourseRecord> {
  const course = await findCourse(db, id);
  if (!course) throw new Error(`course ${id} vanished inside its own transaction`);
  return course;
}

export async function createCourse(
  ctx: EducationContext,
  caller: Caller,
  input: z.output<typeof CreateCourseRequest>,
): Promise<CourseRecord> {
  const id = randomUUID();
  return withTransaction(ctx.pool, async (tx) => {
    await insertCourse(tx, { id, instructorId: caller.user.id, ...input, now: ctx.clock.now() });
    return reload(tx, id);
  });
}

export async function changeCourse(
  ctx: EducationContext,
  caller: Caller,
  id: string,
  changes: z.output<typeof UpdateCourseRequest>,
): Promise<CourseRecord> {
  return withTransaction(ctx.pool, async (tx) => {
    editableCourse(caller.user, await findCourse(tx, id, { lock: 'update' }), id);
    await updateCourse(tx, id, changes, ctx.clock.now());
    return reload(tx, id);
  });
}

/** Publishes the course (once: publishing it again returns it unchanged, with no new event). */
export async function publishCourse(ctx: EducationContext, caller: Caller, id: string): Promise<CourseRecord> {
  const { course, published } = await withTransaction(ctx.pool, async (tx) => {
    const current = managedCourse(caller.user, await findCourse(tx, id, { lock: 'update' }), id);
    if (current.status === 'published') return { course: current, published: false };
    if (current.lessonCount === 0) throw courseHasNoLessons(id);
    await markPublished(tx, id, ctx.clock.now());
    const course = await reload(tx, id);
    await ctx.publish(
      tx,
      'education.course.published',
      { courseId: id, title: course.title, skills: course.skills },
      { subject: caller.user.id, requestId: caller.requestId },
    );
    return { course, published: true };
  });
  if (published) ctx.metrics.coursesPublished.inc();
  return course;
}
