// Courses built through the public API, the way instructors, admins and students would: the
// shared builders of @azora/testing, and the steps of Education's own tests.
import request from 'supertest';
import type { Course, Lesson } from '@azora/contracts';
import { aCourse, aPublishedCourse, type CourseSpec } from '@azora/testing';
import type { Harness, TestUser } from './harness';

export const bearer = (user: TestUser) => `Bearer ${user.token}`;

/** A draft course by `instructor` with its lessons (two unless `lessons` says otherwise). */
export const draftCourse = (h: Harness, instructor: TestUser, spec: Omit<CourseSpec, 'publish'> = {}) =>
  aCourse(h, instructor, { ...spec, publish: false });

/** A published course by `instructor` with its lessons. */
export const publishedCourse = (h: Harness, instructor: TestUser, spec: Omit<CourseSpec, 'publish'> = {}) =>
  aPublishedCourse(h, instructor, spec);

/** An admin sets the course's reward eligibility; the answer is the course. */
export async function markRewardEligible(
  h: Harness,
  admin: TestUser,
  courseId: string,
  eligible = true,
): Promise<Course> {
  const res = await request(h.app)
    .post(`/courses/${courseId}/rewards`)
    .set('authorization', bearer(admin))
    .send({ eligible });
  if (res.status !== 200) throw new Error(`setting reward eligibility answered ${res.status}: ${res.text}`);
  return res.body as Course;
}

/** The user enrols in a free course and completes the given lessons, in order. */
export async function enrolAndComplete(h: Harness, user: TestUser, courseId: string, lessons: Lesson[]): Promise<void> {
  const enrolled = await request(h.app).post(`/courses/${courseId}/enroll`).set('authorization', bearer(user));
  if (enrolled.status !== 201 && enrolled.status !== 200)
    throw new Error(`enrolling answered ${enrolled.status}: ${enrolled.text}`);
  for (const lesson of lessons) {
    const res = await request(h.app)
      .post(`/courses/${courseId}/lessons/${lesson.id}/complete`)
      .set('authorization', bearer(user));
    if (res.status !== 200) throw new Error(`completing a lesson answered ${res.status}: ${res.text}`);
  }
}
