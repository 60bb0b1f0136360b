// HTTP for authoring lessons of a draft course: add one, edit or move one.
import { CreateLessonRequest, Lesson, LessonParams, CourseParams, UpdateLessonRequest } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { toLesson } from '../domain/views';
import type { EducationContext } from '../use-cases/context';
import { addLesson, changeLesson } from '../use-cases/lessons';
import { callerOf } from './caller';

const tags = ['lessons'];

export function lessonRoutes(api: Api, ctx: EducationContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/courses/:id/lessons',
      summary: 'Add a lesson to a draft course',
      description: 'Inserted at `position` (1-based; later lessons move down), or last when omitted or past the end.',
      tags,
      access: ['instructor'],
      params: CourseParams,
      body: CreateLessonRequest,
      responses: { 201: Lesson },
    },
    async ({ params, body }, req, res) => {
      res.status(201).json(toLesson(await addLesson(ctx, callerOf(req), params.id, body)));
    },
  );

  api.endpoint(
    {
      method: 'patch',
      path: '/courses/:id/lessons/:lessonId',
      summary: 'Edit or move a lesson of a draft course',
      description: 'A new `position` moves the lesson there (clamped to 1..lesson count); the others close ranks.',
      tags,
      access: ['instructor'],
      params: LessonParams,
      body: UpdateLessonRequest,
      responses: { 200: Lesson },
    },
    async ({ params, body }, req, res) => {
      res.json(
        toLesson(await changeLesson(ctx, callerOf(req), { courseId: params.id, lessonId: params.lessonId }, body)),
      );
    },
  );
}
