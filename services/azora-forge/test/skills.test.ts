// Skill profiles from education.course.completed: each course proves its skills once, whatever
// the delivery pattern; a course completed by its own author proves nothing; and only events from
// Education are believed.
import request from 'supertest';
import { startForge, type Harness } from './support/harness';

describe('skill profiles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const skillsOf = async (user: { auth: { authorization: string } }) =>
    (await request(h.app).get('/me/skills').set(user.auth)).body;

  it('When courses are completed, then /me/skills lists each skill with the courses that proved it', async () => {
    const student = await h.user();
    const first = h.courseCompleted(student.id, ['sql', 'rust']);
    h.clock.advance(60_000);
    const second = h.courseCompleted(student.id, ['sql']);

    await h.deliver([first, second]).expect(200);

    expect(await skillsOf(student)).toEqual({
      userId: student.id,
      skills: [
        {
          skill: 'rust',
          provenAt: first.occurredAt,
          courses: [{ courseId: first.data['courseId'], completedAt: first.occurredAt }],
        },
        {
          skill: 'sql',
          provenAt: first.occurredAt,
          courses: [
            { courseId: first.data['courseId'], completedAt: first.occurredAt },
            { courseId: second.data['courseId'], completedAt: second.occurredAt },
          ],
        },
      ],
    });
  });

  it('When the same course-completed event is redelivered, or published again, then no skill is duplicated', async () => {
    const student = await h.user();
    const event = h.courseCompleted(student.id, ['go', 'sql']);
    const republished = { ...event, id: crypto.randomUUID() };

    await h.deliver([event]).expect(200);
    await h.deliver([event]).expect(200);
    await h.deliver([republished]).expect(200);

    const profile = await skillsOf(student);
    expect(profile.skills.map((s: { skill: string; courses: unknown[] }) => [s.skill, s.courses.length])).toEqual([
      ['go', 1],
      ['sql', 1],
    ]);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM skill_proofs WHERE user_id = $1', [student.id]);
    expect(rows[0].n).toBe(2);
  });

  it('When a user completes a course they wrote, then it proves no skill', async () => {
    const author = await h.user('instructor');

    await h.deliver([h.courseCompleted(author.id, ['teaching'], { authorIds: [author.id] })]).expect(200);

    expect((await skillsOf(author)).skills).toEqual([]);
  });

  it('When a course-completed event comes from another service than Education, then it is never applied and proves nothing', async () => {
    const student = await h.user();
    const forged = { ...h.courseCompleted(student.id, ['hacking']), source: 'azora-forge' };

    await h.deliver([forged]);

    expect((await skillsOf(student)).skills).toEqual([]);
  });

  it('When nobody is signed in, then /me/skills is 401', async () => {
    expect((await request(h.app).get('/me/skills')).status).toBe(401);
  });
});
