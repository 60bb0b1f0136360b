// Reward eligibility: only an admin decides whether completing a course pays learn-to-earn
// rewards; every course starts not eligible, and setting the same value again changes nothing.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, draftCourse, markRewardEligible, publishedCourse } from './support/courses';
import { startEducation, type Harness, type TestUser } from './support/harness';

describe('reward eligibility', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  const setEligible = (caller: TestUser | null, courseId: string, body: unknown) => {
    const req = request(h.app).post(`/courses/${courseId}/rewards`);
    return (caller ? req.set('authorization', bearer(caller)) : req).send(body as object);
  };
  const storedEligibility = async (courseId: string) =>
    (await h.pool.query<{ reward_eligible: boolean }>('SELECT reward_eligible FROM courses WHERE id = $1', [courseId]))
      .rows[0]?.reward_eligible;

  it('When a course is created and published, then it is not reward-eligible', async () => {
    const instructor = await h.user('instructor');

    const { course } = await publishedCourse(h, instructor);
    const read = await request(h.app).get(`/courses/${course.id}`);

    expect(course.rewardEligible).toBe(false);
    expect(read.body.rewardEligible).toBe(false);
  });

  it('When an admin marks a course eligible, then every response showing the course says so', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await publishedCourse(h, instructor, { title: 'Eligible beekeeping', skills: ['bees'] });
    h.clock.advance(60_000);

    const res = await setEligible(admin, course.id, { eligible: true });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...course, rewardEligible: true, updatedAt: h.clock.now().toISOString() });
    const read = await request(h.app).get(`/courses/${course.id}`);
    expect(read.body).toMatchObject({ id: course.id, rewardEligible: true });
    const listed = await request(h.app).get('/courses?skill=bees');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: course.id, rewardEligible: true })]);
  });

  it('When an admin turns eligibility off again, then the course no longer pays rewards', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await publishedCourse(h, instructor);
    await markRewardEligible(h, admin, course.id, true);

    const res = await setEligible(admin, course.id, { eligible: false });

    expect([res.status, res.body.rewardEligible]).toEqual([200, false]);
    expect(await storedEligibility(course.id)).toBe(false);
  });

  it('When an admin sends the same eligibility again, then the answer is the same course and nothing changes', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await publishedCourse(h, instructor);
    const first = await setEligible(admin, course.id, { eligible: true });
    h.clock.advance(60_000);

    const again = await setEligible(admin, course.id, { eligible: true });

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it("When the course's instructor, another instructor or a student sets eligibility, then it is 403 auth.forbidden and nothing changes", async () => {
    const instructor = await h.user('instructor');
    const { course } = await publishedCourse(h, instructor);
    const callers = [instructor, await h.user('instructor'), await h.user('student')];

    const answers = await Promise.all(callers.map((caller) => setEligible(caller, course.id, { eligible: true })));

    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([403, 'auth.forbidden']));
    expect(await storedEligibility(course.id)).toBe(false);
  });

  it('When an anonymous caller sets eligibility, then it is a 401', async () => {
    const instructor = await h.user('instructor');
    const { course } = await publishedCourse(h, instructor);

    const res = await setEligible(null, course.id, { eligible: true });

    expect(res.status).toBe(401);
    expect(await storedEligibility(course.id)).toBe(false);
  });

  it('When an admin marks a draft eligible, then the draft keeps the decision for when it is published', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await draftCourse(h, instructor);

    await markRewardEligible(h, admin, course.id, true);
    const published = await request(h.app)
      .post(`/courses/${course.id}/publish`)
      .set('authorization', bearer(instructor));

    expect(published.body).toMatchObject({ status: 'published', rewardEligible: true });
  });

  it('When the course does not exist, then it is a 404 course.not_found', async () => {
    const admin = await h.user('admin');

    const res = await setEligible(admin, randomUUID(), { eligible: true });

    expect([res.status, res.body.code]).toEqual([404, 'course.not_found']);
  });

  it('When eligible is missing or not a boolean, then the 400 names body.eligible and nothing changes', async () => {
    const instructor = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await publishedCourse(h, instructor);

    const answers = await Promise.all(
      [{}, { eligible: 'true' }, { eligible: 1 }, { eligible: null }].map((body) =>
        setEligible(admin, course.id, body),
      ),
    );

    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.eligible' })]);
    }
    expect(await storedEligibility(course.id)).toBe(false);
  });
});
