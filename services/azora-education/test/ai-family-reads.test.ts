// The reads AI Family's tutor makes of Education: only with AI Family's service credential, a
// learner's active enrolments with progress and next lesson, a published course's content (a
// draft is invisible), and the published courses page by page.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestServiceCredentials } from '@azora/testing';
import { bearer, draftCourse, enrolAndComplete, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

const credentials = createTestServiceCredentials(['ai-family-service', 'azora-mint']);

describe('service reads for AI Family', () => {
  let h: Harness;
  let asAiFamily: { authorization: string };
  beforeAll(async () => {
    h = await startEducation({ serviceTokens: credentials.verifier });
    asAiFamily = await credentials.auth('ai-family-service');
  });
  afterAll(() => h.close());

  it("When AI Family asks for a learner's context, then it gets active enrolments with progress and next lesson", async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const soil = await publishedCourse(h, instructor, { title: 'Soil science', lessons: 3 });
    const water = await publishedCourse(h, instructor, { title: 'Water harvesting', lessons: 1 });
    await enrolAndComplete(h, student, soil.course.id, [soil.lessons[0]!]);
    await enrolAndComplete(h, student, water.course.id, water.lessons);

    const res = await request(h.app).get(`/service/learners/${student.id}/context`).set(asAiFamily);

    expect(res.status).toBe(200);
    expect(res.body.userId).toBe(student.id);
    const byTitle = Object.fromEntries(
      (res.body.enrollments as Array<Record<string, unknown>>).map((e) => [e['title'], e]),
    );
    expect(byTitle['Soil science']).toMatchObject({
      courseId: soil.course.id,
      completedLessons: 1,
      totalLessons: 3,
      percent: 33,
      completedAt: null,
      nextLesson: { id: soil.lessons[1]!.id, title: 'Lesson 2', position: 2 },
    });
    expect(byTitle['Water harvesting']).toMatchObject({ percent: 100, nextLesson: null });
    expect(byTitle['Water harvesting']!['completedAt']).toEqual(expect.any(String));
  });

  it('When the learner has no enrolments, then the context is empty', async () => {
    const res = await request(h.app).get(`/service/learners/${randomUUID()}/context`).set(asAiFamily);

    expect([res.status, res.body.enrollments]).toEqual([200, []]);
  });

  it("When AI Family asks for a published course's content, then every lesson comes with its content in order", async () => {
    const instructor = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, instructor, { title: 'Composting', lessons: 2 });

    const res = await request(h.app).get(`/service/courses/${course.id}/content`).set(asAiFamily);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ courseId: course.id, title: 'Composting', skills: ['agronomy'] });
    expect(res.body.lessons).toEqual(
      lessons.map((l) => ({ id: l.id, title: l.title, position: l.position, content: l.content })),
    );
  });

  it('When the course is a draft or unknown, then its content is a 404', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor);

    const draft = await request(h.app).get(`/service/courses/${course.id}/content`).set(asAiFamily);
    const unknown = await request(h.app).get(`/service/courses/${randomUUID()}/content`).set(asAiFamily);

    expect([draft.status, draft.body.code]).toEqual([404, 'course.not_found']);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'course.not_found']);
  });

  it('When the published courses are listed page by page, then each appears once, drafts never', async () => {
    const instructor = await h.user('instructor');
    const published = [await publishedCourse(h, instructor), await publishedCourse(h, instructor)];
    const { course: draft } = await draftCourse(h, instructor);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/service/published-courses')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(asAiFamily);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Array<{ courseId: string }>).map((i) => i.courseId));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(published.map((p) => p.course.id)));
    expect(seen).not.toContain(draft.id);
  });

  it('When another service, a user or nobody calls these routes, then they are refused', async () => {
    const student = await h.user();
    const path = `/service/learners/${student.id}/context`;

    const mint = await request(h.app)
      .get(path)
      .set(await credentials.auth('azora-mint'));
    const user = await request(h.app).get(path).set('authorization', bearer(student));
    const anonymous = await request(h.app).get(path);

    expect([mint.status, mint.body.code]).toEqual([403, 'auth.service_not_allowed']);
    expect(user.status).toBe(401);
    expect(anonymous.status).toBe(401);
  });

  it('When a cursor or id is malformed, then it is a 400 naming the field', async () => {
    const badCursor = await request(h.app).get('/service/published-courses?cursor=nope').set(asAiFamily);
    const badId = await request(h.app).get('/service/learners/not-a-uuid/context').set(asAiFamily);

    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'request.invalid_cursor']);
    expect([badId.status, badId.body.issues[0].path]).toEqual([400, 'params.userId']);
  });
});
