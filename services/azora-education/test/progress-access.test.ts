// Who may complete which lesson: enrolled users only (403 otherwise), a lesson of another
// course or an unknown one is a 404, and an unpublished course is invisible (404).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, draftCourse, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

describe('completing lessons: access rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  const complete = (token: string, courseId: string, lessonId: string) =>
    request(h.app).post(`/courses/${courseId}/lessons/${lessonId}/complete`).set('authorization', `Bearer ${token}`);

  it('When a student who is not enrolled completes a lesson, then it is a 403 and no event is published', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor);

    const res = await complete(student.token, course.id, lessons[0]!.id);

    expect([res.status, res.body.code]).toEqual([403, 'enrollment.required']);
    expect((await h.outbox('education.lesson.completed')).filter((e) => e.data['courseId'] === course.id)).toEqual([]);
  });

  it("When the course's own instructor completes a lesson without enrolling, then it is a 403", async () => {
    const instructor = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, instructor);
    const res = await complete(instructor.token, course.id, lessons[0]!.id);
    expect(res.status).toBe(403);
  });

  it('When an enrolled student completes a lesson of another course through this course, then it is a 404', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const mine = await publishedCourse(h, instructor);
    const other = await publishedCourse(h, instructor);
    await request(h.app).post(`/courses/${mine.course.id}/enroll`).set('authorization', bearer(student));

    const res = await complete(student.token, mine.course.id, other.lessons[0]!.id);

    expect([res.status, res.body.code]).toEqual([404, 'lesson.not_found']);
  });

  it('When the lesson or the course does not exist, then it is a 404', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor);
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));

    const unknownLesson = await complete(student.token, course.id, randomUUID());
    const unknownCourse = await complete(student.token, randomUUID(), lessons[0]!.id);

    expect([unknownLesson.status, unknownLesson.body.code]).toEqual([404, 'lesson.not_found']);
    expect([unknownCourse.status, unknownCourse.body.code]).toEqual([404, 'course.not_found']);
  });

  it('When a student completes a lesson of an unpublished course, then the course is invisible (404)', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await draftCourse(h, instructor);

    const res = await complete(student.token, course.id, lessons[0]!.id);

    expect([res.status, res.body.code]).toEqual([404, 'course.not_found']);
  });

  it('When the owner enrols in their own draft, then it is a 409: drafts take no enrolments', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor);
    const res = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(instructor));
    expect([res.status, res.body.code]).toEqual([409, 'course.not_published']);
  });

  it('When an anonymous caller enrols, completes or lists enrolments, then it is a 401', async () => {
    const instructor = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, instructor);

    const answers = await Promise.all([
      request(h.app).post(`/courses/${course.id}/enroll`),
      request(h.app).post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`),
      request(h.app).get('/me/enrollments'),
      request(h.app).get(`/courses/${course.id}/stats`),
    ]);

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
  });

  it('When a token is forged, then the request is a 401 whatever the route', async () => {
    const res = await request(h.app).get('/me/enrollments').set('authorization', 'Bearer not.a.token');
    expect(res.status).toBe(401);
  });

  it('When a student lists enrolments, then they see only their own', async () => {
    const instructor = await h.user('instructor');
    const [alice, bob] = await Promise.all([h.user(), h.user()]);
    const { course } = await publishedCourse(h, instructor);
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(alice));

    const asBob = await request(h.app).get('/me/enrollments').set('authorization', bearer(bob));

    expect(asBob.body).toEqual({ items: [], nextCursor: null });
  });
});
