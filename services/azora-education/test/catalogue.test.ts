// Reading the catalogue: only published courses, full-text search ranked title-first, skill
// filter, keyset pages that neither skip nor repeat, and who sees lesson content.
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Course } from '@azora/contracts';
import { bearer, draftCourse, publishedCourse } from './support/courses';
import { startEducation, type Harness } from './support/harness';

/** A word no other test uses, so each test searches and filters its own rows only. */
const uniqueWord = () => `zeb${randomBytes(4).toString('hex').replace(/[0-9]/g, 'q')}`;

async function allPages(h: Harness, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/courses?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await request(h.app).get(url);
    expect(res.status).toBe(200);
    ids.push(...(res.body.items as Course[]).map((c) => c.id));
    cursor = res.body.nextCursor as string | null;
    pages += 1;
  } while (cursor);
  return { ids, pages };
}

describe('the course catalogue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  it('When courses match a query, then a match in the title ranks above one in the description', async () => {
    const instructor = await h.user('instructor');
    const word = uniqueWord();
    const inDescription = await publishedCourse(h, instructor, {
      title: 'Gardening',
      description: `All about ${word} and more`,
    });
    const inTitle = await publishedCourse(h, instructor, { title: `Advanced ${word}`, description: 'A deep dive' });
    const inBoth = await publishedCourse(h, instructor, {
      title: `${word} for beginners`,
      description: `Starting out with ${word}`,
    });
    await publishedCourse(h, instructor, { title: 'Unrelated', description: 'Nothing to see' });

    const res = await request(h.app).get(`/courses?q=${word}`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: Course) => c.id)).toEqual([
      inBoth.course.id,
      inTitle.course.id,
      inDescription.course.id,
    ]);
  });

  it('When the query uses other forms of a word, then English stemming still finds the course', async () => {
    const instructor = await h.user('instructor');
    const skill = uniqueWord();
    const { course } = await publishedCourse(h, instructor, {
      title: 'Composting kitchen waste',
      description: 'Turning scraps into soil',
      skills: [skill],
    });

    const res = await request(h.app).get(`/courses?q=${encodeURIComponent('composted "kitchen"')}&skill=${skill}`);

    expect(res.body.items.map((c: Course) => c.id)).toEqual([course.id]);
  });

  it('When filtered by skill, then only courses with that skill are listed, whatever its case', async () => {
    const instructor = await h.user('instructor');
    const skill = uniqueWord();
    const tagged = await publishedCourse(h, instructor, { skills: [skill, 'other'] });
    await publishedCourse(h, instructor, { skills: ['other'] });

    const res = await request(h.app).get(`/courses?skill=${skill.toUpperCase()}`);

    expect(res.body.items.map((c: Course) => c.id)).toEqual([tagged.course.id]);
  });

  it('When drafts exist, then they are never listed or searchable', async () => {
    const instructor = await h.user('instructor');
    const word = uniqueWord();
    await draftCourse(h, instructor, { title: `Draft ${word}`, skills: [word] });

    const bySkill = await request(h.app).get(`/courses?skill=${word}`).set('authorization', bearer(instructor));
    const byQuery = await request(h.app).get(`/courses?q=${word}`).set('authorization', bearer(instructor));

    expect(bySkill.body).toEqual({ items: [], nextCursor: null });
    expect(byQuery.body).toEqual({ items: [], nextCursor: null });
  });

  it('When many courses were published at the same instant, then paging returns each exactly once in one fixed order', async () => {
    const instructor = await h.user('instructor');
    const skill = uniqueWord();
    const published: string[] = [];
    for (let i = 0; i < 7; i++)
      published.push((await publishedCourse(h, instructor, { skills: [skill], lessons: 1 })).course.id);

    const whole = await request(h.app).get(`/courses?skill=${skill}&limit=100`);
    const paged = await allPages(h, `skill=${skill}`, 2);

    expect(paged.pages).toBe(4);
    expect(paged.ids).toEqual(whole.body.items.map((c: Course) => c.id));
    expect([...paged.ids].sort()).toEqual([...published].sort());
    // All share one publishedAt, so the id alone orders them (descending).
    expect(paged.ids).toEqual([...published].sort().reverse());
  });

  it('When search results tie on rank, then their pages are still complete and stable', async () => {
    const instructor = await h.user('instructor');
    const word = uniqueWord();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await publishedCourse(h, instructor, { title: `${word} course`, description: 'Same text', lessons: 1 })).course
          .id,
      );
      if (i % 2 === 0) h.clock.advance(1_000);
    }
    ids.push(
      (await publishedCourse(h, instructor, { title: 'Other', description: `mentions ${word}`, lessons: 1 })).course.id,
    );

    const whole = await request(h.app).get(`/courses?q=${word}&limit=100`);
    const paged = await allPages(h, `q=${word}`, 2);

    expect(paged.ids).toEqual(whole.body.items.map((c: Course) => c.id));
    expect(new Set(paged.ids).size).toBe(6);
    expect(paged.ids[5]).toBe(ids[5]);
  });

  it('When newer courses are published between pages, then the next page neither repeats nor skips older ones', async () => {
    const instructor = await h.user('instructor');
    const skill = uniqueWord();
    const older: string[] = [];
    for (let i = 0; i < 4; i++) {
      older.push((await publishedCourse(h, instructor, { skills: [skill], lessons: 1 })).course.id);
      h.clock.advance(1_000);
    }

    const first = await request(h.app).get(`/courses?skill=${skill}&limit=2`);
    await publishedCourse(h, instructor, { skills: [skill], lessons: 1 });
    const second = await request(h.app).get(`/courses?skill=${skill}&limit=2&cursor=${first.body.nextCursor}`);

    expect([...first.body.items, ...second.body.items].map((c: Course) => c.id)).toEqual([...older].reverse());
  });

  it('When a cursor is malformed or from the other ordering, then it is a 400 naming query.cursor', async () => {
    const skill = uniqueWord();
    const instructor = await h.user('instructor');
    for (let i = 0; i < 2; i++) await publishedCourse(h, instructor, { skills: [skill], lessons: 1 });
    const page = await request(h.app).get(`/courses?skill=${skill}&limit=1`);

    const garbage = await request(h.app).get('/courses?cursor=not-a-cursor');
    const crossed = await request(h.app).get(`/courses?q=anything&cursor=${page.body.nextCursor}`);
    const badLimit = await request(h.app).get('/courses?limit=0');

    for (const res of [garbage, crossed]) {
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    }
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.issues).toEqual([expect.objectContaining({ path: 'query.limit' })]);
  });

  it('When a course is read, then lesson content is shown only to enrolled students, the owner and admins', async () => {
    const owner = await h.user('instructor');
    const enrolled = await h.user();
    const stranger = await h.user();
    const admin = await h.user('admin');
    const { course } = await publishedCourse(h, owner, { lessons: 2 });
    await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(enrolled));

    const read = (token?: string) => {
      const r = request(h.app).get(`/courses/${course.id}`);
      return token ? r.set('authorization', `Bearer ${token}`) : r;
    };
    const [anonymous, asStranger, asEnrolled, asOwner, asAdmin] = await Promise.all([
      read(),
      read(stranger.token),
      read(enrolled.token),
      read(owner.token),
      read(admin.token),
    ]);

    for (const res of [anonymous, asStranger]) {
      expect(res.status).toBe(200);
      expect(res.body.canViewContent).toBe(false);
      expect(res.body.lessons).toEqual([
        { id: expect.any(String), title: 'Lesson 1', position: 1 },
        { id: expect.any(String), title: 'Lesson 2', position: 2 },
      ]);
    }
    for (const res of [asEnrolled, asOwner, asAdmin]) {
      expect(res.body.canViewContent).toBe(true);
      expect(res.body.lessons.map((l: { content?: string }) => l.content)).toEqual([
        'Content of lesson 1',
        'Content of lesson 2',
      ]);
    }
  });

  it('When a draft is read, then only its owner and admins see it; anyone else gets 404', async () => {
    const owner = await h.user('instructor');
    const admin = await h.user('admin');
    const student = await h.user();
    const { course } = await draftCourse(h, owner);

    const [anonymous, asStudent, asOwner, asAdmin] = await Promise.all([
      request(h.app).get(`/courses/${course.id}`),
      request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(student)),
      request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(owner)),
      request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(admin)),
    ]);

    expect([anonymous.status, asStudent.status, asOwner.status, asAdmin.status]).toEqual([404, 404, 200, 200]);
    expect(anonymous.body.code).toBe('course.not_found');
    expect(asOwner.body.status).toBe('draft');
  });

  it('When a course does not exist, then it is a 404 problem', async () => {
    const res = await request(h.app).get(`/courses/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
