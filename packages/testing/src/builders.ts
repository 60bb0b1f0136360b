// Data builders that go through the public API the way a user would: a published course with
// lessons (an instructor on Education), a funded wallet (an admin minting on Mint). A test names
// only the fields it cares about; everything else gets a sensible default.
import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { Course, CreateCourseRequest, Lesson } from '@azora/contracts';
import type { TestUser } from './identities';

/** Where a service's routes are: its app (or URL), and the prefix in front of them (`/api/education` through the gateway). */
export interface Target {
  app: RequestListener | string;
  prefix?: string;
}

function expectStatus(res: request.Response, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.text}`);
}

export interface CourseSpec extends Partial<CreateCourseRequest> {
  /** How many lessons to add (default 2). */
  lessons?: number;
  /** Publish it (default true). */
  publish?: boolean;
}

/** A course by `instructor` with `lessons` lessons, published unless `publish: false`. */
export async function aCourse(
  { app, prefix = '' }: Target,
  instructor: TestUser,
  spec: CourseSpec = {},
): Promise<{ course: Course; lessons: Lesson[] }> {
  const { lessons: lessonCount = 2, publish = true, ...fields } = spec;
  const created = await request(app)
    .post(`${prefix}/courses`)
    .set(instructor.auth)
    .send({
      title: 'Intro to soil science',
      description: 'How healthy soil feeds a farm',
      priceCents: 0,
      currency: 'USD',
      skills: ['agronomy'],
      ...fields,
    });
  expectStatus(created, 201, 'creating a course');
  let course = created.body as Course;
  const lessons: Lesson[] = [];
  for (let i = 1; i <= lessonCount; i++) {
    const res = await request(app)
      .post(`${prefix}/courses/${course.id}/lessons`)
      .set(instructor.auth)
      .send({ title: `Lesson ${i}`, content: `Content of lesson ${i}` });
    expectStatus(res, 201, 'adding a lesson');
    lessons.push(res.body as Lesson);
  }
  if (publish) {
    const res = await request(app).post(`${prefix}/courses/${course.id}/publish`).set(instructor.auth);
    expectStatus(res, 200, 'publishing a course');
    course = res.body as Course;
  }
  return { course, lessons };
}

/** A published course: `aCourse` with `publish: true`. */
export function aPublishedCourse(target: Target, instructor: TestUser, spec: Omit<CourseSpec, 'publish'> = {}) {
  return aCourse(target, instructor, { ...spec, publish: true });
}

/** Puts `amount` AZR into `user`'s wallet: an admin mints it from the treasury, audited like any mint. */
export async function aFundedWallet(
  { app, prefix = '' }: Target,
  admin: TestUser,
  user: Pick<TestUser, 'id'>,
  amount: number,
): Promise<void> {
  const res = await request(app)
    .post(`${prefix}/admin/mint`)
    .set(admin.auth)
    .send({ userId: user.id, amount, memo: 'test funds' });
  expectStatus(res, 201, 'minting test funds');
}
