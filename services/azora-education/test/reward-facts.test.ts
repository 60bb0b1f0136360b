// What completion events tell Mint's reward policy: the course's authors and whether it was
// reward-eligible when the completion happened. Education forbids nobody from completing a
// course, its own instructor included; judging the facts is Mint's business.
import request from 'supertest';
import { bearer, enrolAndComplete, markRewardEligible, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

describe('reward facts in completion events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  const completionsOf = async (courseId: string) =>
    (await h.outbox())
      .filter((e) => e.type.endsWith('.completed') && e.data['courseId'] === courseId)
      .map((e) => ({ type: e.type, data: e.data }));

  it('When a student completes a course an admin made eligible, then every completion event names its author and says it is eligible', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 2, skills: ['irrigation'] });
    await markRewardEligible(h, admin, course.id, true);

    await enrolAndComplete(h, student, course.id, lessons);

    const facts = { authorIds: [instructor.id], rewardEligible: true };
    expect(await completionsOf(course.id)).toEqual([
      {
        type: 'education.lesson.completed',
        data: { courseId: course.id, lessonId: lessons[0]!.id, userId: student.id, ...facts },
      },
      {
        type: 'education.lesson.completed',
        data: { courseId: course.id, lessonId: lessons[1]!.id, userId: student.id, ...facts },
      },
      {
        type: 'education.course.completed',
        data: { courseId: course.id, userId: student.id, skills: ['irrigation'], ...facts },
      },
    ]);
  });

  it('When eligibility changes while a student is part-way through, then each event carries the value in force when it happened', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 3 });

    await enrolAndComplete(h, student, course.id, [lessons[0]!]);
    await markRewardEligible(h, admin, course.id, true);
    await enrolAndComplete(h, student, course.id, [lessons[1]!]);
    await markRewardEligible(h, admin, course.id, false);
    await enrolAndComplete(h, student, course.id, [lessons[2]!]);

    expect((await completionsOf(course.id)).map((e) => [e.type, e.data['rewardEligible']])).toEqual([
      ['education.lesson.completed', false],
      ['education.lesson.completed', true],
      ['education.lesson.completed', false],
      ['education.course.completed', false],
    ]);
  });

  it('When an instructor completes their own course, then Education allows it and the events name them as its author', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 1 });
    await markRewardEligible(h, admin, course.id, true);

    await enrolAndComplete(h, instructor, course.id, lessons);

    const mine = await request(h.app).get('/me/enrollments').set('authorization', bearer(instructor));
    expect(mine.body.items[0]).toMatchObject({ courseId: course.id, progress: { percent: 100 } });
    const completed = (await completionsOf(course.id)).find((e) => e.type === 'education.course.completed');
    expect(completed?.data).toMatchObject({ userId: instructor.id, authorIds: [instructor.id], rewardEligible: true });
  });

  it("When an admin's change of eligibility is in progress as a lesson is completed, then the completion waits for it and carries the new value", async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await publishedCourse(h, instructor, { lessons: 1 });
    await enrolAndComplete(h, student, course.id, []);
    // An admin's change, held open: the same row lock and update the rewards route takes.
    const admin = await h.pool.connect();
    let completing: Promise<request.Response> | undefined;
    try {
      await admin.query('BEGIN');
      await admin.query('SELECT id FROM courses WHERE id = $1 FOR UPDATE', [course.id]);
      await admin.query('UPDATE courses SET reward_eligible = true WHERE id = $1', [course.id]);

      completing = request(h.app)
        .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
        .set('authorization', bearer(student))
        .then((res) => res);
      await untilSomeoneWaitsOnALock(h);
      await admin.query('COMMIT');
    } finally {
      admin.release();
    }

    expect((await completing).status).toBe(200);
    expect((await completionsOf(course.id)).map((e) => e.data['rewardEligible'])).toEqual([true, true]);
  });
});

/** Returns once a session of this database waits on a row lock (or after a bounded number of looks). */
async function untilSomeoneWaitsOnALock(h: Harness): Promise<void> {
  for (let look = 0; look < 200; look++) {
    const { rows } = await h.pool.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
