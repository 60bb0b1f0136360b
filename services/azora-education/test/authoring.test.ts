// Writing courses: validation, who may change what, drafts versus published courses, and the
// order of lessons.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, draftCourse, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

const validCourse = {
  title: 'Solar basics',
  description: 'Panels, batteries and inverters',
  priceCents: 0,
  currency: 'USD',
  skills: ['solar'],
};

describe('authoring courses and lessons', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  it('When a course is created with bad fields, then the 400 problem names each of them and nothing is written', async () => {
    const instructor = await h.user('instructor');

    const res = await request(h.app)
      .post('/courses')
      .set('authorization', bearer(instructor))
      .send({ title: '  ', description: 'ok', priceCents: -1, currency: 'usd', skills: ['x'.repeat(65)] });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const paths = (res.body.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.priceCents', 'body.currency', 'body.skills.0']));
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM courses WHERE instructor_id = $1', [
      instructor.id,
    ]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('When a course id is not a uuid, then the 400 names params.id', async () => {
    const res = await request(h.app).get('/courses/not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('When a student or an anonymous caller creates a course, then they get 403 and 401', async () => {
    const student = await h.user('student');
    const asStudent = await request(h.app).post('/courses').set('authorization', bearer(student)).send(validCourse);
    const anonymous = await request(h.app).post('/courses').send(validCourse);
    expect(asStudent.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it('When an admin creates a course, then it is theirs to edit', async () => {
    const admin = await h.user('admin');
    const res = await request(h.app).post('/courses').set('authorization', bearer(admin)).send(validCourse);
    expect(res.status).toBe(201);
    expect(res.body.instructorId).toBe(admin.id);
  });

  it('When the owner edits a draft, then only the fields sent change', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor);
    h.clock.advance(5_000);

    const res = await request(h.app)
      .patch(`/courses/${course.id}`)
      .set('authorization', bearer(instructor))
      .send({ priceCents: 1500, skills: ['Soil'] });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: course.title,
      description: course.description,
      priceCents: 1500,
      skills: ['soil'],
      updatedAt: h.clock.now().toISOString(),
    });
  });

  it('When an edit sends no field, then it is a 400', async () => {
    const instructor = await h.user('instructor');
    const { course } = await draftCourse(h, instructor);
    const res = await request(h.app).patch(`/courses/${course.id}`).set('authorization', bearer(instructor)).send({});
    expect(res.status).toBe(400);
  });

  it("When another instructor touches someone's draft, then it does not exist for them (404)", async () => {
    const owner = await h.user('instructor');
    const other = await h.user('instructor');
    const { course, lessons } = await draftCourse(h, owner);
    const as = (r: request.Test) => r.set('authorization', bearer(other));

    const answers = await Promise.all([
      as(request(h.app).get(`/courses/${course.id}`)),
      as(request(h.app).patch(`/courses/${course.id}`).send({ title: 'Mine now' })),
      as(request(h.app).post(`/courses/${course.id}/lessons`).send({ title: 'x', content: 'y' })),
      as(request(h.app).patch(`/courses/${course.id}/lessons/${lessons[0]!.id}`).send({ title: 'x' })),
      as(request(h.app).post(`/courses/${course.id}/publish`)),
      as(request(h.app).get(`/courses/${course.id}/stats`)),
      as(request(h.app).post(`/courses/${course.id}/enroll`)),
    ]);

    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect(answers.every((a) => a.body.code === 'course.not_found')).toBe(true);
  });

  it("When another instructor changes someone's published course, then it is a 403", async () => {
    const owner = await h.user('instructor');
    const other = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, owner);
    const as = (r: request.Test) => r.set('authorization', bearer(other));

    const answers = await Promise.all([
      as(request(h.app).patch(`/courses/${course.id}`).send({ title: 'Mine now' })),
      as(request(h.app).post(`/courses/${course.id}/lessons`).send({ title: 'x', content: 'y' })),
      as(request(h.app).patch(`/courses/${course.id}/lessons/${lessons[0]!.id}`).send({ title: 'x' })),
      as(request(h.app).post(`/courses/${course.id}/publish`)),
      as(request(h.app).get(`/courses/${course.id}/stats`)),
    ]);

    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(answers.every((a) => a.body.code === 'course.not_owner')).toBe(true);
  });

  it("When an admin edits and publishes an instructor's draft, then it is allowed", async () => {
    const owner = await h.user('instructor');
    const admin = await h.user('admin');
    const { course } = await draftCourse(h, owner);

    const edited = await request(h.app)
      .patch(`/courses/${course.id}`)
      .set('authorization', bearer(admin))
      .send({ title: 'Reviewed' });
    const published = await request(h.app).post(`/courses/${course.id}/publish`).set('authorization', bearer(admin));

    expect(edited.status).toBe(200);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ title: 'Reviewed', status: 'published', instructorId: owner.id });
  });

  it('When the owner edits a published course or its lessons, then it is a 409 and nothing changes', async () => {
    const owner = await h.user('instructor');
    const { course, lessons } = await publishedCourse(h, owner);

    const answers = await Promise.all([
      request(h.app).patch(`/courses/${course.id}`).set('authorization', bearer(owner)).send({ priceCents: 99 }),
      request(h.app)
        .post(`/courses/${course.id}/lessons`)
        .set('authorization', bearer(owner))
        .send({ title: 'x', content: 'y' }),
      request(h.app)
        .patch(`/courses/${course.id}/lessons/${lessons[0]!.id}`)
        .set('authorization', bearer(owner))
        .send({ position: 2 }),
    ]);

    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([409, 'course.not_draft']));
    const after = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(owner));
    expect(after.body).toMatchObject({ priceCents: 0, lessonCount: 2 });
    expect(after.body.lessons.map((l: { id: string }) => l.id)).toEqual(lessons.map((l) => l.id));
  });

  it('When a course without lessons is published, then it is a 409 and it stays a draft', async () => {
    const owner = await h.user('instructor');
    const { course } = await draftCourse(h, owner, { lessons: 0 });

    const res = await request(h.app).post(`/courses/${course.id}/publish`).set('authorization', bearer(owner));

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('course.no_lessons');
    const after = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(owner));
    expect(after.body).toMatchObject({ status: 'draft', publishedAt: null });
    expect(await h.outbox('education.course.published')).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ data: expect.objectContaining({ courseId: course.id }) })]),
    );
  });

  it('When a published course is published again, then it is returned unchanged and announced once', async () => {
    const owner = await h.user('instructor');
    const { course } = await publishedCourse(h, owner);
    h.clock.advance(1_000);

    const again = await request(h.app).post(`/courses/${course.id}/publish`).set('authorization', bearer(owner));

    expect(again.status).toBe(200);
    expect(again.body).toEqual(course);
    expect((await h.outbox('education.course.published')).filter((e) => e.data['courseId'] === course.id)).toHaveLength(
      1,
    );
  });

  it('When the course or lesson does not exist, then it is a 404', async () => {
    const owner = await h.user('instructor');
    const { course } = await draftCourse(h, owner);
    const other = await draftCourse(h, owner);

    const unknownCourse = await request(h.app)
      .patch(`/courses/${randomUUID()}`)
      .set('authorization', bearer(owner))
      .send({ title: 'x' });
    const lessonOfOther = await request(h.app)
      .patch(`/courses/${course.id}/lessons/${other.lessons[0]!.id}`)
      .set('authorization', bearer(owner))
      .send({ title: 'x' });

    expect([unknownCourse.status, unknownCourse.body.code]).toEqual([404, 'course.not_found']);
    expect([lessonOfOther.status, lessonOfOther.body.code]).toEqual([404, 'lesson.not_found']);
  });

  it('When lessons are inserted at positions and moved, then positions stay 1..n in the asked order', async () => {
    const owner = await h.user('instructor');
    const { course } = await draftCourse(h, owner, { lessons: 0 });
    const add = async (title: string, position?: number) =>
      (
        await request(h.app)
          .post(`/courses/${course.id}/lessons`)
          .set('authorization', bearer(owner))
          .send({ title, content: 'c', ...(position ? { position } : {}) })
      ).body as { id: string; position: number };
    const titles = async () => {
      const res = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(owner));
      return (res.body.lessons as Array<{ title: string; position: number }>).map((l) => `${l.position}:${l.title}`);
    };

    const b = await add('B');
    await add('D', 99);
    await add('A', 1);
    await add('C', 3);
    expect(await titles()).toEqual(['1:A', '2:B', '3:C', '4:D']);

    const movedDown = await request(h.app)
      .patch(`/courses/${course.id}/lessons/${b.id}`)
      .set('authorization', bearer(owner))
      .send({ position: 4 });
    expect(movedDown.body).toMatchObject({ title: 'B', position: 4 });
    expect(await titles()).toEqual(['1:A', '2:C', '3:D', '4:B']);

    const movedUp = await request(h.app)
      .patch(`/courses/${course.id}/lessons/${b.id}`)
      .set('authorization', bearer(owner))
      .send({ position: 1, title: 'B!' });
    expect(movedUp.body).toMatchObject({ title: 'B!', position: 1 });
    expect(await titles()).toEqual(['1:B!', '2:A', '3:C', '4:D']);
  });

  it('When lessons are added concurrently, then each gets its own position', async () => {
    const owner = await h.user('instructor');
    const { course } = await draftCourse(h, owner, { lessons: 0 });

    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        request(h.app)
          .post(`/courses/${course.id}/lessons`)
          .set('authorization', bearer(owner))
          .send({ title: `L${i}`, content: 'c', position: 1 }),
      ),
    );

    expect(answers.every((a) => a.status === 201)).toBe(true);
    const res = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(owner));
    expect(res.body.lessons.map((l: { position: number }) => l.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
