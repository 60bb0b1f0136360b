// education: the course catalogue, authoring (instructors), enrolments and progress, under
// /api/education.
import type * as C from '@azora/contracts';
import { COURSE_CHECKOUT_PATH } from '../contract-constants';
import { type Input, type Output } from '../contract-types';
import { isAzoraApiError } from '../errors';
import { isRecord } from '../problem-reader';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/education';

export function createEducationApi(transport: Transport) {
  return {
    /** GET /courses?q=&skill=&cursor=&limit=: published courses, one page. */
    listCourses(
      query?: Input<typeof C.CourseListQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.CoursePage>> {
      return transport.call({ method: 'GET', path: `${BASE}/courses`, query }, options);
    },

    /** GET /courses/:id: a course with its lesson outline (content when the caller may read it). */
    getCourse(courseId: string, options?: RequestOptions): Promise<Output<typeof C.CourseDetail>> {
      return transport.call({ method: 'GET', path: BASE + path`/courses/${courseId}` }, options);
    },

    /** POST /courses (instructor) → 201: a draft course. */
    createCourse(
      body: Input<typeof C.CreateCourseRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Course>> {
      return transport.call({ method: 'POST', path: `${BASE}/courses`, body }, options);
    },

    /** PATCH /courses/:id (the owner, while a draft): at least one field. */
    updateCourse(
      courseId: string,
      body: Input<typeof C.UpdateCourseRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Course>> {
      return transport.call({ method: 'PATCH', path: BASE + path`/courses/${courseId}`, body }, options);
    },

    /** GET /courses/:id/stats (the owner or an admin): enrolments, completions, refunds. */
    courseStats(courseId: string, options?: RequestOptions): Promise<Output<typeof C.CourseStats>> {
      return transport.call({ method: 'GET', path: BASE + path`/courses/${courseId}/stats` }, options);
    },

    /** POST /courses/:id/lessons (the owner, while a draft) → 201. */
    addLesson(
      courseId: string,
      body: Input<typeof C.CreateLessonRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Lesson>> {
      return transport.call({ method: 'POST', path: BASE + path`/courses/${courseId}/lessons`, body }, options);
    },

    /** PATCH /courses/:id/lessons/:lessonId (the owner, while a draft): edit or move a lesson. */
    updateLesson(
      courseId: string,
      lessonId: string,
      body: Input<typeof C.UpdateLessonRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Lesson>> {
      return transport.call(
        { method: 'PATCH', path: BASE + path`/courses/${courseId}/lessons/${lessonId}`, body },
        options,
      );
    },

    /** POST /courses/:id/publish (the owner): opens the course to enrolment. */
    publishCourse(courseId: string, options?: RequestOptions): Promise<Output<typeof C.Course>> {
      return transport.call({ method: 'POST', path: BASE + path`/courses/${courseId}/publish` }, options);
    },

    /** POST /courses/:id/rewards (admin): whether completing the course pays learn-to-earn rewards. */
    setRewardEligibility(
      courseId: string,
      body: Input<typeof C.SetRewardEligibilityRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Course>> {
      return transport.call({ method: 'POST', path: BASE + path`/courses/${courseId}/rewards`, body }, options);
    },

    /**
     * POST /courses/:id/enroll → 201 for a free course (200 when already enrolled). A paid course rejects with a 402
     * AzoraApiError: `paymentRequired(error)` gives its price and the checkout to call.
     */
    enroll(courseId: string, options?: RequestOptions): Promise<Output<typeof C.Enrollment>> {
      return transport.call({ method: 'POST', path: BASE + path`/courses/${courseId}/enroll` }, options);
    },

    /** POST /courses/:id/lessons/:lessonId/complete: idempotent; returns the course progress. */
    completeLesson(
      courseId: string,
      lessonId: string,
      options?: RequestOptions,
    ): Promise<Output<typeof C.LessonCompletion>> {
      return transport.call(
        { method: 'POST', path: BASE + path`/courses/${courseId}/lessons/${lessonId}/complete` },
        options,
      );
    },

    /** GET /me/enrollments?cursor=&limit=: the caller's enrolments with progress. */
    myEnrollments(
      query?: Input<typeof C.MyEnrollmentsQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.MyEnrollmentPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/me/enrollments`, query }, options);
    },
  };
}

export type EducationApi = ReturnType<typeof createEducationApi>;

type CoursePayment = Output<typeof C.CoursePaymentRequired>;

/**
 * The payment a 402 from `enroll` asks for, or undefined for any other error. Read by hand rather
 * than with the contract's schema, so that no zod reaches a browser bundle; the return type is
 * the contract's, so the compiler holds this reader to it.
 */
export function paymentRequired(error: unknown): CoursePayment | undefined {
  if (!isAzoraApiError(error) || error.status !== 402 || !error.problem) return undefined;
  const { code, courseId, priceCents, currency, checkout } = error.problem;
  if (code !== 'enrollment.payment_required' || typeof courseId !== 'string' || typeof currency !== 'string') {
    return undefined;
  }
  if (typeof priceCents !== 'number' || !isRecord(checkout) || !isRecord(checkout['body'])) return undefined;
  const { method, href } = checkout;
  const { purpose, courseId: checkoutCourseId } = checkout['body'];
  if (method !== 'POST' || href !== COURSE_CHECKOUT_PATH) return undefined;
  if (purpose !== 'course' || typeof checkoutCourseId !== 'string') return undefined;
  return {
    code,
    courseId,
    priceCents,
    currency,
    checkout: { method, href, body: { purpose, courseId: checkoutCourseId } },
  };
}
