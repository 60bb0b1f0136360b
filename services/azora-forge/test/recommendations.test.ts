// The board and the recommendations: open jobs newest first, by skill or searched, page by page;
// recommended jobs ranked by how much of each job's skills the caller proved, ties broken by
// recency, each explained, never the caller's own jobs nor jobs that left the board.
import request from 'supertest';
import { aFilledJob, anOpenJob } from './support/jobs';
import { startForge, type Harness } from './support/harness';

describe('the board and recommendations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const recommended = async (auth: { authorization: string }, query = '') =>
    (await request(h.app).get(`/jobs/recommended${query}`).set(auth)).body;

  it('When a student proved some skills, then jobs come by coverage, then newest, with matched and missing skills', async () => {
    const employer = await h.employer(10_000);
    const student = await h.user();
    await h.proveSkills(student.id, ['kotlin', 'gradle', 'android']);
    const half = await anOpenJob(h, employer, { skills: ['kotlin', 'swift'] });
    h.clock.advance(1_000);
    const full = await anOpenJob(h, employer, { skills: ['kotlin', 'gradle'] });
    h.clock.advance(1_000);
    const thirdOlder = await anOpenJob(h, employer, { skills: ['android', 'figma', 'ios'] });
    h.clock.advance(1_000);
    const halfNewer = await anOpenJob(h, employer, { skills: ['android', 'ios'] });
    await anOpenJob(h, employer, { skills: ['cobol'] });

    const page = await recommended(student.auth);

    expect(page.items.map((i: { job: { id: string } }) => i.job.id)).toEqual([
      full.id,
      halfNewer.id,
      half.id,
      thirdOlder.id,
    ]);
    expect(page.items.map((i: { match: unknown }) => i.match)).toEqual([
      { score: 1, matched: ['kotlin', 'gradle'], missing: [] },
      { score: 0.5, matched: ['android'], missing: ['ios'] },
      { score: 0.5, matched: ['kotlin'], missing: ['swift'] },
      { score: 0.333, matched: ['android'], missing: ['figma', 'ios'] },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('When recommendations are paged, then the pages hold every job once, in order', async () => {
    const employer = await h.employer(10_000);
    const student = await h.user();
    await h.proveSkills(student.id, ['elixir']);
    const jobs = [];
    for (let i = 0; i < 5; i++) {
      jobs.push(await anOpenJob(h, employer, { skills: i % 2 === 0 ? ['elixir'] : ['elixir', 'erlang'] }));
      h.clock.advance(1_000);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { job: { id: string } }[]; nextCursor: string | null } = await recommended(
        student.auth,
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.job.id));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toEqual([jobs[4]!.id, jobs[2]!.id, jobs[0]!.id, jobs[3]!.id, jobs[1]!.id]);
  });

  it('When an employer with proven skills asks, then their own jobs and filled jobs are not recommended', async () => {
    const employer = await h.employer(10_000);
    const other = await h.employer(10_000);
    await h.proveSkills(employer.id, ['haskell']);
    await anOpenJob(h, employer, { skills: ['haskell'] });
    await aFilledJob(h, other, await h.user(), { skills: ['haskell'] });
    const theirs = await anOpenJob(h, other, { skills: ['haskell'] });

    const page = await recommended(employer.auth);

    expect(page.items.map((i: { job: { id: string } }) => i.job.id)).toEqual([theirs.id]);
  });

  it('When a user proved nothing, then nothing is recommended; a bad cursor is 400', async () => {
    const student = await h.user();

    expect((await recommended(student.auth)).items).toEqual([]);
    const bad = await request(h.app).get('/jobs/recommended?cursor=WyJwIl0').set(student.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request.invalid_cursor');
  });

  it('When the board is listed by skill or searched, then only open matching jobs come, newest or best first', async () => {
    const employer = await h.employer(10_000);
    const older = await anOpenJob(h, employer, {
      title: 'Beekeeping census',
      description: 'Count hives',
      skills: ['apiculture'],
    });
    h.clock.advance(1_000);
    const newer = await anOpenJob(h, employer, {
      title: 'Hive sensors',
      description: 'Beekeeping with IoT temperature probes',
      skills: ['apiculture', 'iot'],
    });
    const closed = await anOpenJob(h, employer, { title: 'Beekeeping closed', skills: ['apiculture'] });
    await request(h.app).post(`/jobs/${closed.id}/close`).set(employer.auth).expect(200);

    const bySkill = await request(h.app).get('/jobs?skill=Apiculture');
    const page1 = await request(h.app).get('/jobs?skill=apiculture&limit=1');
    const page2 = await request(h.app).get(`/jobs?skill=apiculture&limit=1&cursor=${page1.body.nextCursor}`);
    const searched = await request(h.app).get('/jobs?q=beekeeping');
    const searchedIot = await request(h.app).get('/jobs?q=beekeeping&skill=iot');
    const wrongCursor = await request(h.app).get(`/jobs?q=beekeeping&cursor=${page1.body.nextCursor}`);

    expect(bySkill.body.items.map((j: { id: string }) => j.id)).toEqual([newer.id, older.id]);
    expect(page1.body.items.map((j: { id: string }) => j.id)).toEqual([newer.id]);
    expect(page2.body.items.map((j: { id: string }) => j.id)).toEqual([older.id]);
    expect(page2.body.nextCursor).toBeNull();
    expect(searched.body.items.map((j: { id: string }) => j.id)).toEqual([older.id, newer.id]);
    expect(searchedIot.body.items.map((j: { id: string }) => j.id)).toEqual([newer.id]);
    expect(wrongCursor.status).toBe(400);
  });

  it('When an employer lists their own jobs, then every status shows, pending included, and a filter narrows it', async () => {
    const employer = await h.employer(1_000);
    const open = await anOpenJob(h, employer);
    h.clock.advance(1_000);
    h.mint.failNext('hold', 'down');
    const pending = await request(h.app)
      .post('/jobs')
      .set(employer.auth)
      .send({ title: 'Pending', description: 'Mint is down', skills: ['x'], reward: 5 });

    const all = await request(h.app).get('/me/jobs').set(employer.auth);
    const onlyOpen = await request(h.app).get('/me/jobs?status=open').set(employer.auth);

    expect(all.body.items.map((j: { id: string; status: string }) => [j.id, j.status])).toEqual([
      [pending.body.jobId, 'pending'],
      [open.id, 'open'],
    ]);
    expect(onlyOpen.body.items.map((j: { id: string }) => j.id)).toEqual([open.id]);
    const board = await request(h.app).get('/jobs?skill=x');
    expect(board.body.items).toEqual([]);
  });
});
