// Authoring lessons: add one at a position, edit or move one, all while the course is a draft.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreateLessonRequest, UpdateLessonRequest } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { findCourse } from '../db/courses';
import { findLesson, insertLesson, shiftLessons, updateLesson } from '../db/lessons';
import { editableCourse } from '../domain/access';
import { insertionPosition, movePosition, shiftForMove } from '../domain/lesson-order';
import { lessonNotFound } from '../domain/errors';
import type { LessonRecord } from '../domain/records';
import type { Caller, EducationContext } from './context';

export async function addLesson(
  ctx: EducationContext,
  caller: Caller,
  courseId: string,
  input: z.output<typeof CreateLessonRequest>,
): Promise<LessonRecord> {
  return withTransaction(ctx.pool, async (tx) => {
    const course = editableCourse(caller.user, await findCourse(tx, courseId, { lock: 'update' }), courseId);
    return insertLesson(tx, {
      id: randomUUID(),
      courseId,
      title: input.title,
      content: input.content,
      position: insertionPosition(input.position, course.lessonCount),
      now: ctx.clock.now(),
    });
  });
}

export async function changeLesson(
  ctx: EducationContext,
  caller: Caller,
  ids: { courseId: string; lessonId: string },
  changes: z.output<typeof UpdateLessonRequest>,
): Promise<LessonRecord> {
  const { courseId, lessonId } = ids;
  return withTransaction(ctx.pool, async (tx) => {
    const course = editableCourse(caller.user, await findCourse(tx, courseId, { lock: 'update' }), courseId);
    const lesson = await findLesson(tx, courseId, lessonId);
    if (!lesson) throw lessonNotFound(courseId, lessonId);
    const position = changes.position === undefined ? undefined : movePosition(changes.position, course.lessonCount);
    const shift = position === undefined ? null : shiftForMove(lesson.position, position);
    if (shift) await shiftLessons(tx, courseId, shift);
    return updateLesson(tx, lessonId, { title: changes.title, content: changes.content, position }, ctx.clock.now());
  });
}
