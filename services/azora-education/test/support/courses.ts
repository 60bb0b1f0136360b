// Building courses through the public API, the way an instructor would.
import request from 'supertest';
import type { Course, CreateCourseRequest, Lesson } from '@azora/contracts';
import type { Harness, TestUser } from './harness';

export const bearer = (user: TestUser) => `Bearer ${user.token}`;

export interface CourseSpec extends Partial<CreateCourseRequest> {
  lessons?: number;
}

export async function draftCourse(
  h: Harness,
  instructor: TestUser,
  spec: CourseSpec = {},
): Promise<{ course: Course; lessons: Lesson[] }> {
  const { lessons: lessonCount = 2, ...fields } = spec;
  const created = await request(h.app)
    .post('/courses')
    .set('authorization', bearer(instructor))
    .send({
      title: 'Intro to soil science',
      description: 'How healthy soil feeds a farm',
      priceCents: 0,
      currency: 'USD',
      skills: ['agronomy'],
      ...fields,
    });
  if (created.status !== 201) throw new Error(`creating a course answered ${created.status}: ${created.text}`);
  const course = created.body as Course;
  const lessons: Lesson[] = [];
  for (let i = 1; i <= lessonCount; i++) {
    const res = await request(h.app)
      .post(`/courses/${course.id}/lessons`)
      .set('authorization', bearer(instructor))
      .send({ title: `Lesson ${i}`, content: `Content of lesson ${i}` });
    if (res.status !== 201) throw new Error(`adding a lesson answered ${res.status}: ${res.text}`);
    lessons.push(res.body as Lesson);
  }
  return { course, lessons };
}

export async function publishedCourse(
  h: Harness,
  instructor: TestUser,
  spec: CourseSpec = {},
): Promise<{ course: Course; lessons: Lesson[] }> {
  const draft = await draftCourse(h, instructor, spec);
  const res = await request(h.app).post(`/courses/${draft.course.id}/publish`).set('authorization', bearer(instructor));
  if (res.status !== 200) throw new Error(`publishing answered ${res.status}: ${res.text}`);
  return { course: res.body as Course, lessons: draft.lessons };
}

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
