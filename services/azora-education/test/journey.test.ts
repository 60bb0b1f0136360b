// The whole path of a free course: an instructor writes and publishes it, a student enrols and
// completes every lesson, and the events of each step are in the outbox exactly once.
import request from 'supertest';
import { bearer, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

describe('a free course from authoring to completion', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  it('When an instructor publishes a course and a student completes it, then every step publishes its event once', async () => {
    // Arrange
    const instructor = await h.user('instructor');
    const student = await h.user('student');
    const created = await request(h.app)
      .post('/courses')
      .set('authorization', bearer(instructor))
      .send({
        title: 'Rainwater harvesting',
        description: 'Catch, store and use rain',
        priceCents: 0,
        currency: 'USD',
        skills: ['Water', 'farming', 'water'],
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      instructorId: instructor.id,
      skills: ['water', 'farming'],
      lessonCount: 0,
      publishedAt: null,
      rewardEligible: false,
    });
    const courseId = created.body.id as string;
    const lessonIds: string[] = [];
    for (const title of ['Why harvest', 'Tanks', 'Filters']) {
      const res = await request(h.app)
        .post(`/courses/${courseId}/lessons`)
        .set('authorization', bearer(instructor))
        .send({ title, content: `${title}: the details` });
      expect(res.status).toBe(201);
      lessonIds.push(res.body.id as string);
    }

    // Act
    const published = await request(h.app)
      .post(`/courses/${courseId}/publish`)
      .set('authorization', bearer(instructor));
    const enrolled = await request(h.app).post(`/courses/${courseId}/enroll`).set('authorization', bearer(student));
    const completions = [];
    for (const lessonId of lessonIds) {
      completions.push(
        await request(h.app)
          .post(`/courses/${courseId}/lessons/${lessonId}/complete`)
          .set('authorization', bearer(student)),
      );
    }

    // Assert
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: 'published',
      lessonCount: 3,
      publishedAt: h.clock.now().toISOString(),
    });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({
      courseId,
      userId: student.id,
      status: 'active',
      source: 'free',
      completedAt: null,
    });
    expect(completions.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(completions.map((c) => c.body.progress.percent)).toEqual([33, 66, 100]);
    expect(completions[2]?.body.progress).toMatchObject({
      completedLessons: 3,
      totalLessons: 3,
      completedAt: h.clock.now().toISOString(),
    });

    const events = (await h.outbox()).filter((e) => e.data['courseId'] === courseId);
    expect(events.map((e) => e.type)).toEqual([
      'education.course.published',
      'education.enrollment.created',
      'education.lesson.completed',
      'education.lesson.completed',
      'education.lesson.completed',
      'education.course.completed',
    ]);
    // A course nobody marked reward-eligible says so; its author is its instructor.
    const rewardFacts = { authorIds: [instructor.id], rewardEligible: false };
    expect(events[0]).toEqual({
      type: 'education.course.published',
      subject: instructor.id,
      data: { courseId, title: 'Rainwater harvesting', skills: ['water', 'farming'] },
    });
    expect(events[1]).toEqual({
      type: 'education.enrollment.created',
      subject: student.id,
      data: { courseId, userId: student.id },
    });
    expect(events.slice(2, 5)).toEqual(
      lessonIds.map((lessonId) => ({
        type: 'education.lesson.completed',
        subject: student.id,
        data: { courseId, lessonId, userId: student.id, ...rewardFacts },
      })),
    );
    expect(events[5]).toEqual({
      type: 'education.course.completed',
      subject: student.id,
      data: { courseId, userId: student.id, skills: ['water', 'farming'], ...rewardFacts },
    });
  });

  it('When a student enrols twice, then the second answer is the same enrolment and no second event is published', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course } = await publishedCourse(h, instructor);

    const first = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));
    const second = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(
      (await h.outbox('education.enrollment.created')).filter((e) => e.data['courseId'] === course.id),
    ).toHaveLength(1);
  });

  it('When a student enrols many times at once, then exactly one enrolment is created and announced', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course } = await publishedCourse(h, instructor);

    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student)),
      ),
    );

    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    expect(new Set(answers.map((a) => a.body.id as string)).size).toBe(1);
    expect(
      (await h.outbox('education.enrollment.created')).filter((e) => e.data['courseId'] === course.id),
    ).toHaveLength(1);
  });

  it('When a lesson is completed again, then it keeps its first completion time and no second event is published', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 2 });
    const lessonId = lessons[0]!.id;
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));

    const first = await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessonId}/complete`)
      .set('authorization', bearer(student));
    h.clock.advance(60_000);
    const again = await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessonId}/complete`)
      .set('authorization', bearer(student));

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.body.progress).toMatchObject({ completedLessons: 1, totalLessons: 2, percent: 50, completedAt: null });
    expect((await h.outbox('education.lesson.completed')).filter((e) => e.data['lessonId'] === lessonId)).toHaveLength(
      1,
    );
  });

  it('When the last lessons are completed concurrently and repeatedly, then the course completes exactly once', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 4 });
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));

    const answers = await Promise.all(
      [...lessons, ...lessons].map((l) =>
        request(h.app).post(`/courses/${course.id}/lessons/${l.id}/complete`).set('authorization', bearer(student)),
      ),
    );

    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ofCourse = (await h.outbox()).filter((e) => e.data['courseId'] === course.id);
    expect(ofCourse.filter((e) => e.type === 'education.lesson.completed')).toHaveLength(4);
    expect(ofCourse.filter((e) => e.type === 'education.course.completed')).toHaveLength(1);
  });

  it('When a student lists their enrolments, then each shows its course and progress, newest first, page by page', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const first = await publishedCourse(h, instructor, { title: 'First course', lessons: 3 });
    const second = await publishedCourse(h, instructor, { title: 'Second course', lessons: 2 });
    await request(h.app).post(`/courses/${first.course.id}/enroll`).set('authorization', bearer(student));
    h.clock.advance(1_000);
    await request(h.app).post(`/courses/${second.course.id}/enroll`).set('authorization', bearer(student));
    await request(h.app)
      .post(`/courses/${first.course.id}/lessons/${first.lessons[0]!.id}/complete`)
      .set('authorization', bearer(student));
    for (const lesson of second.lessons) {
      await request(h.app)
        .post(`/courses/${second.course.id}/lessons/${lesson.id}/complete`)
        .set('authorization', bearer(student));
    }

    const page1 = await request(h.app).get('/me/enrollments?limit=1').set('authorization', bearer(student));
    const page2 = await request(h.app)
      .get(`/me/enrollments?limit=1&cursor=${page1.body.nextCursor}`)
      .set('authorization', bearer(student));

    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({
      courseId: second.course.id,
      course: { id: second.course.id, title: 'Second course', skills: ['agronomy'] },
      progress: { completedLessons: 2, totalLessons: 2, percent: 100, completedAt: h.clock.now().toISOString() },
    });
    expect(page2.body.items[0]).toMatchObject({
      courseId: first.course.id,
      progress: { completedLessons: 1, totalLessons: 3, percent: 33, completedAt: null },
    });
    expect(page2.body.nextCursor).toBeNull();
  });

  it("When the owner asks for a course's stats, then enrolments, completions and the completion rate are counted", async () => {
    const instructor = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 1 });
    const students = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
    for (const s of students) await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(s));
    await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
      .set('authorization', bearer(students[0]!));

    const res = await request(h.app).get(`/courses/${course.id}/stats`).set('authorization', bearer(instructor));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ courseId: course.id, enrollments: 4, completions: 1, completionRate: 0.25, revoked: 0 });
  });

  it('When the journey has happened, then /metrics counts it in the domain counters', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 1 });
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));
    await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
      .set('authorization', bearer(student));

    const res = await request(h.app).get('/metrics');

    for (const name of [
      'education_courses_published_total',
      'education_lessons_completed_total',
      'education_courses_completed_total',
    ]) {
      expect(res.text).toMatch(new RegExp(`^${name}\\{[^}]*\\} [1-9]\\d*$`, 'm'));
    }
    expect(res.text).toMatch(/^education_enrollments_total\{[^}]*source="free"[^}]*\} [1-9]\d*$/m);
  });
});
