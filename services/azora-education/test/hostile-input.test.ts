// Hostile input is ordinary input: NUL characters in text (PostgreSQL cannot store them), query
// parameters sent as arrays or objects, and path ids that are not valid percent-encoding are
// each a 400 problem+json, never a 500, and nothing is written.
import request from 'supertest';
import { bearer, draftCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

const NUL = '\u0000';

function expectBadRequestNaming(res: request.Response, paths: string[]): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe('request.validation_failed');
  expect((res.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([...paths].sort());
}

describe('hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  const coursesOf = async (instructorId: string) =>
    (await h.pool.query('SELECT title, description FROM courses WHERE instructor_id = $1', [instructorId])).rows;

  it('When a course title and description hold a NUL character, then the 400 names both and no course is written', async () => {
    const instructor = await h.user('instructor');

    const res = await request(h.app)
      .post('/courses')
      .set('authorization', bearer(instructor))
      .send({ title: `Soil${NUL}`, description: `${NUL}drop table`, priceCents: 0, currency: 'USD' });

    expectBadRequestNaming(res, ['body.title', 'body.description']);
    expect(await coursesOf(instructor.id)).toEqual([]);
  });

  it('When an edit of a draft holds a NUL character, then the 400 names the field and the course is unchanged', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor, { title: 'Compost', description: 'Heaps and bins' });

    const res = await request(h.app)
      .patch(`/courses/${course.id}`)
      .set('authorization', bearer(instructor))
      .send({ description: `Heaps${NUL}` });

    expectBadRequestNaming(res, ['body.description']);
    expect(await coursesOf(instructor.id)).toEqual([{ title: 'Compost', description: 'Heaps and bins' }]);
  });

  it('When a lesson title and content hold a NUL character, then the 400 names both and no lesson is added', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor, { lessons: 1 });

    const added = await request(h.app)
      .post(`/courses/${course.id}/lessons`)
      .set('authorization', bearer(instructor))
      .send({ title: `Worms${NUL}`, content: `Red ${NUL} wigglers` });

    expectBadRequestNaming(added, ['body.title', 'body.content']);
    const after = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(instructor));
    expect(after.body.lessonCount).toBe(1);
  });

  it('When an edit of a lesson holds a NUL character, then the 400 names the field and the lesson is unchanged', async () => {
    const instructor = await h.user('instructor');
    const { course, lessons } = await draftCourse(h, instructor, { lessons: 1 });

    const res = await request(h.app)
      .patch(`/courses/${course.id}/lessons/${lessons[0]!.id}`)
      .set('authorization', bearer(instructor))
      .send({ content: `changed${NUL}` });

    expectBadRequestNaming(res, ['body.content']);
    const after = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(instructor));
    expect(after.body.lessons[0].content).toBe(lessons[0]!.content);
  });

  it('When a catalogue search or skill filter holds a NUL character, then the 400 names the parameter', async () => {
    const byQuery = await request(h.app).get('/courses?q=soil%00health');
    const bySkill = await request(h.app).get('/courses?skill=%00agronomy');

    expectBadRequestNaming(byQuery, ['query.q']);
    expectBadRequestNaming(bySkill, ['query.skill']);
  });

  it('When catalogue parameters are sent as arrays or objects, then the 400 names each of them', async () => {
    const answers = await Promise.all(
      ['/courses?limit[]=1', '/courses?q=soil&q=water', '/courses?skill[name]=bees', '/me/enrollments?cursor[]=x'].map(
        async (url) =>
          request(h.app)
            .get(url)
            .set('authorization', bearer(await h.user())),
      ),
    );

    expectBadRequestNaming(answers[0]!, ['query.limit']);
    expectBadRequestNaming(answers[1]!, ['query.q']);
    expectBadRequestNaming(answers[2]!, ['query.skill']);
    expectBadRequestNaming(answers[3]!, ['query.cursor']);
  });

  it('When a path id holds a NUL character, then the 400 names params.id', async () => {
    const res = await request(h.app).get('/courses/%00');

    expectBadRequestNaming(res, ['params.id']);
  });

  it('When a path id is not valid percent-encoding, then it is a 400 naming the parameter, never a 500, and nothing is written', async () => {
    const instructor = await h.user('instructor');
    const student = await h.user();
    const { course, lessons } = await draftCourse(h, instructor);

    const answers = await Promise.all([
      request(h.app).get('/courses/%E0%A4%A'),
      request(h.app).post('/courses/%E0%A4%A/enroll').set('authorization', bearer(student)),
      request(h.app).post(`/courses/${course.id}/lessons/%E0%A4%A/complete`).set('authorization', bearer(student)),
      request(h.app)
        .patch(`/courses/%E0%A4%A/lessons/${lessons[0]!.id}`)
        .set('authorization', bearer(instructor))
        .send({ title: 'x' }),
    ]);

    const named = ['params.id', 'params.id', 'params.lessonId', 'params.id'];
    answers.forEach((res, index) => {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'request.validation_failed' });
      expect(res.body.issues).toEqual([expect.objectContaining({ path: named[index] })]);
      expect(res.body.detail).toMatch(/percent-encoding/);
    });
    const enrolments = await h.pool.query('SELECT 1 FROM enrollments WHERE user_id = $1', [student.id]);
    expect(enrolments.rows).toEqual([]);
    const after = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(instructor));
    expect(after.body.lessons[0].title).toBe(lessons[0]!.title);
  });
});
