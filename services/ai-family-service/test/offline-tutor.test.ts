// The offline tutor (no OPENAI_API_KEY): it indexes the lessons of published courses from
// education.course.published (and a catch-up read), answers by quoting the passages of the
// learner's own courses with their course and lesson, and says plainly when it found nothing.
import { aCourseContent, enrolledIn, SOIL } from './support/courses';
import { startAiFamily, type Harness } from './support/harness';

describe('the offline tutor', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily({ provider: 'offline' });
  });
  afterAll(() => h.close());

  async function publishAndIndex(course = SOIL()) {
    h.education.publish(course);
    const delivered = await h.deliver([h.published(course)]);
    expect(delivered.status).toBe(200);
    await h.family.indexer.runOnce();
    return course;
  }

  it('When a learner asks about a lesson of their course, then the answer quotes it with its course and lesson', async () => {
    const course = await publishAndIndex();
    const learner = await h.user();
    h.education.setLearner(enrolledIn(learner.id, [course], 1));
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'Why does compost keep the soil loose?');

    expect(res.status).toBe(201);
    const { reply } = res.body;
    expect(reply).toMatchObject({ role: 'assistant', status: 'complete', provider: 'offline', personaId: 'elara' });
    expect(reply.content).toContain('From "Soil science", lesson "Healthy soil"');
    expect(reply.content).toContain('Compost feeds the earthworms');
    expect(reply.content).toContain('your next lesson is "Crop rotation"');
    expect(reply.content).not.toContain('Rotating beans');
    expect(reply.citations).toHaveLength(1);
    expect(reply.citations[0]).toEqual({
      courseId: course.courseId,
      courseTitle: 'Soil science',
      lessonId: course.lessons[0]!.id,
      lessonTitle: 'Healthy soil',
    });
    expect(reply.usage.totalTokens).toBeGreaterThan(0);
  });

  it('When nothing in the learner’s lessons matches, then the tutor says so plainly and cites nothing', async () => {
    const course = await publishAndIndex();
    const learner = await h.user();
    h.education.setLearner(enrolledIn(learner.id, [course]));
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'Explain quantum entanglement');

    expect(res.status).toBe(201);
    expect(res.body.reply.content).toContain('I found nothing about this in the lessons of your courses');
    expect(res.body.reply.citations).toEqual([]);
  });

  it('When only a course the learner is not enrolled in covers it, then the tutor names that course but quotes nothing', async () => {
    const bees = await publishAndIndex(
      aCourseContent('Beekeeping basics', [
        { title: 'The hive', content: 'A queen bee lays up to two thousand eggs a day.' },
      ]),
    );
    const learner = await h.user();
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'How many eggs does a queen bee lay?');

    expect(res.body.reply.content).toContain('"Beekeeping basics" covers it: enrol to study it');
    expect(res.body.reply.content).not.toContain('two thousand');
    expect(res.body.reply.citations).toEqual([]);
    expect(bees.courseId).toBeDefined();
  });

  it('When a course was published while the service was not listening, then the catch-up indexes it', async () => {
    const missed = aCourseContent('Water harvesting', [
      { title: 'Rain tanks', content: 'A rain tank collects runoff from the roof for the dry season.' },
    ]);
    h.education.publish(missed);

    const queued = await h.family.indexer.catchUp();
    await h.family.indexer.runOnce();

    expect(queued).toBeGreaterThanOrEqual(1);
    const { rows } = await h.pool.query(
      `SELECT c.status, count(p.id)::int AS passages FROM indexed_courses c LEFT JOIN passages p USING (course_id)
       WHERE c.course_id = $1 GROUP BY c.status`,
      [missed.courseId],
    );
    expect(rows).toEqual([{ status: 'indexed', passages: 1 }]);
    expect(await h.family.indexer.catchUp()).toBe(0);
  });

  it('When Education is down while a course is indexed, then it is retried later and indexed then', async () => {
    const course = aCourseContent('Seed saving', [
      { title: 'Drying seeds', content: 'Dry seeds in the shade before storing.' },
    ]);
    h.education.publish(course);
    h.education.setDown(true);
    await h.deliver([h.published(course)]).expect(200);

    await h.family.indexer.runOnce();
    const waiting = await h.pool.query(`SELECT status, last_error FROM indexed_courses WHERE course_id = $1`, [
      course.courseId,
    ]);
    h.education.setDown(false);
    h.clock.advance(10 * 60_000);
    await h.family.indexer.runOnce();

    expect(waiting.rows[0]).toMatchObject({ status: 'pending', last_error: expect.stringContaining('503') });
    const done = await h.pool.query(`SELECT status FROM indexed_courses WHERE course_id = $1`, [course.courseId]);
    expect(done.rows).toEqual([{ status: 'indexed' }]);
  });

  it('When the same publication is delivered twice, then the course is indexed once', async () => {
    const course = SOIL();
    h.education.publish(course);
    const event = h.published(course);

    await h.deliver([event]).expect(200);
    await h.deliver([event]).expect(200);
    await h.family.indexer.runOnce();

    const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM passages WHERE course_id = $1`, [
      course.courseId,
    ]);
    expect(rows[0].n).toBe(2);
  });

  it('When Education cannot tell the learner’s context, then the tutor still answers and says it could not read it', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner, 'themba');
    h.education.setDown(true);

    const res = await h.send(learner, id, 'I keep procrastinating');
    h.education.setDown(false);

    expect(res.status).toBe(201);
    expect(res.body.reply.content).toContain('I could not read your course progress just now');
  });
});
