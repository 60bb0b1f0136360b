// HTTP for taking a course: enrol, complete lessons, and the caller's enrolments with progress.
import {
  CourseParams,
  Enrollment,
  LessonCompletion,
  LessonParams,
  MyEnrollmentPage,
  MyEnrollmentsQuery,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { toEnrollment } from '../domain/views';
import type { EducationContext } from '../use-cases/context';
import { enroll } from '../use-cases/enrollment';
import { completeLesson, myEnrollments } from '../use-cases/progress';
import { callerOf } from './caller';

const tags = ['enrollments'];

export function enrollmentRoutes(api: Api, ctx: EducationContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/courses/:id/enroll',
      summary: 'Enrol in a published course',
      description:
        'Free course: 201 with the new enrolment, 200 with the existing one when already enrolled. Paid course: 402 problem+json whose `checkout` says how to pay (POST /api/pay/checkout {purpose: "course", courseId}); the enrolment follows the payment.',
      tags,
      access: 'user',
      params: CourseParams,
      responses: { 200: Enrollment, 201: Enrollment },
    },
    async ({ params }, req, res) => {
      const { enrollment, created } = await enroll(ctx, callerOf(req), params.id);
      res.status(created ? 201 : 200).json(toEnrollment(enrollment));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/courses/:id/lessons/:lessonId/complete',
      summary: 'Complete a lesson',
      description: 'For enrolled users; repeating it changes nothing. Completing the last lesson completes the course.',
      tags,
      access: 'user',
      params: LessonParams,
      responses: { 200: LessonCompletion },
    },
    async ({ params }, req, res) => {
      res.json(await completeLesson(ctx, callerOf(req), { courseId: params.id, lessonId: params.lessonId }));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/me/enrollments',
      summary: "The caller's enrolments with progress",
      description:
        'Newest first, with completed lessons / total, percent and completedAt. Revoked (refunded) enrolments are listed with status "revoked".',
      tags,
      access: 'user',
      query: MyEnrollmentsQuery,
      responses: { 200: MyEnrollmentPage },
    },
    async ({ query }, req, res) => {
      res.json(await myEnrollments(ctx, callerOf(req), query));
    },
  );
}
