// Education's DomainError factories. Each names a code of the catalog (statuses and titles are
// declared once, in packages/contracts/src/problems); the code is what a client branches on.
import { COURSE_CHECKOUT_PATH, type CoursePaymentRequired } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';
import type { CourseRecord } from './records';

export { invalidCursor } from '@azora/service-kit/errors';

export const courseNotFound = (id: string) => new DomainError('course.not_found', `No course ${id}`);

export const lessonNotFound = (courseId: string, lessonId: string) =>
  new DomainError('lesson.not_found', `Course ${courseId} has no lesson ${lessonId}`);

export const notCourseOwner = (id: string) =>
  new DomainError('course.not_owner', `Only the instructor who owns course ${id} (or an admin) may do this`);

export const courseNotDraft = (id: string) =>
  new DomainError('course.not_draft', `Course ${id} is published: it and its lessons can no longer change`);

export const courseHasNoLessons = (id: string) =>
  new DomainError('course.no_lessons', `Course ${id} needs at least one lesson before it can be published`);

export const courseNotPublished = (id: string) =>
  new DomainError('course.not_published', `Course ${id} is a draft: publish it before anyone can enrol`);

export const notEnrolled = (id: string) => new DomainError('enrollment.required', `Enrol in course ${id} first`);

export const enrollmentRevoked = (id: string) =>
  new DomainError('enrollment.revoked', `Your access to course ${id} was revoked when its payment was refunded`);

/** 402: a paid course is enrolled in by paying; the problem says where and with what. */
export function paymentRequired(course: CourseRecord): DomainError {
  const extras: CoursePaymentRequired = {
    code: 'enrollment.payment_required',
    courseId: course.id,
    priceCents: course.priceCents,
    currency: course.currency,
    checkout: { method: 'POST', href: COURSE_CHECKOUT_PATH, body: { purpose: 'course', courseId: course.id } },
  };
  return new DomainError(
    extras.code,
    `Course ${course.id} costs ${course.priceCents} ${course.currency} (minor units): pay with POST ${COURSE_CHECKOUT_PATH} {purpose: "course", courseId}; access follows the payment`,
    { extras },
  );
}
