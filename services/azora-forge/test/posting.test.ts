// Posting a job: the reward is held at Mint before the job opens; without funds nothing is posted;
// an Idempotency-Key makes a retried post the same job; and when Mint's answer is lost, the job is
// finished by the retry or by the reconciler, holding the reward exactly once.
import request from 'supertest';
import { startForge, type Harness } from './support/harness';

const aJob = {
  title: 'Irrigation schedule',
  description: 'Plan watering by soil data',
  skills: ['agronomy'],
  reward: 150,
};

describe('posting a job', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const post = (auth: { authorization: string }, body: object = aJob, key?: string) => {
    const req = request(h.app).post('/jobs').set(auth);
    return (key ? req.set('idempotency-key', key) : req).send(body);
  };
  const myJobs = async (auth: { authorization: string }) =>
    (await request(h.app).get('/me/jobs').set(auth)).body.items as { id: string; status: string }[];

  it('When the employer cannot cover the reward, then 409 says why and no job or event exists', async () => {
    const employer = await h.employer(100);

    const res = await post(employer.auth);

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'wallet.insufficient_funds', available: 100, required: 150 });
    expect(await myJobs(employer.auth)).toEqual([]);
    expect((await h.outbox('forge.job.posted')).filter((e) => e.data['employerId'] === employer.id)).toEqual([]);
    expect(h.mint.balance(employer.id)).toBe(100);
  });

  it('When the employer has no wallet at Mint yet, then it is refused like an empty wallet', async () => {
    const employer = await h.user('employer');

    const res = await post(employer.auth);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'wallet.insufficient_funds', available: 0, required: 150 });
  });

  it('When a student or an anonymous caller posts, then 403 and 401, and Mint is never called', async () => {
    const student = await h.user('student');
    const before = h.mint.calls.length;

    const asStudent = await post(student.auth);
    const anonymous = await request(h.app).post('/jobs').send(aJob);

    expect(asStudent.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(h.mint.calls.length).toBe(before);
  });

  it.each([
    ['no title', 'body.title', { ...aJob, title: '' }],
    ['no skills', 'body.skills', { ...aJob, skills: [] }],
    ['21 skills', 'body.skills', { ...aJob, skills: Array.from({ length: 21 }, (_, i) => `s${i}`) }],
    ['a zero reward', 'body.reward', { ...aJob, reward: 0 }],
    ['a fractional reward', 'body.reward', { ...aJob, reward: 1.5 }],
    ['a string reward', 'body.reward', { ...aJob, reward: '10' }],
    ['a huge reward', 'body.reward', { ...aJob, reward: 1e13 }],
    ['a NUL in the title', 'body.title', { ...aJob, title: 'a\u0000b' }],
  ])('When the body has %s, then 400 names %s and nothing is held', async (_what, field, body) => {
    const employer = await h.employer();
    const before = h.mint.calls.length;

    const res = await post(employer.auth, body);

    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(h.mint.calls.length).toBe(before);
  });

  it('When the same Idempotency-Key is sent twice, then the same job answers and the reward is held once', async () => {
    const employer = await h.employer(1_000);

    const first = await post(employer.auth, aJob, 'post-1');
    const again = await post(employer.auth, aJob, 'post-1');

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(h.mint.balance(employer.id)).toBe(850);
    expect(await myJobs(employer.auth)).toHaveLength(1);
  });

  it('When a key is reused for another job, or is malformed, then 409 and 400', async () => {
    const employer = await h.employer(1_000);
    await post(employer.auth, aJob, 'post-2');

    const reused = await post(employer.auth, { ...aJob, reward: 151 }, 'post-2');
    const malformed = await post(employer.auth, aJob, 'has spaces');

    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency.key_reused');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('idempotency.key_invalid');
  });

  it('When the same key is posted many times at once, then one job is posted and held', async () => {
    const employer = await h.employer(1_000);

    const answers = await Promise.all(Array.from({ length: 6 }, () => post(employer.auth, aJob, 'burst')));

    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(h.mint.balance(employer.id)).toBe(850);
    expect((await h.outbox('forge.job.posted')).filter((e) => e.data['employerId'] === employer.id)).toHaveLength(1);
  });

  it('When Mint is down, then 503 names the pending job, which only its employer sees, and the reconciler posts it', async () => {
    const employer = await h.employer(1_000);
    const student = await h.user();
    h.mint.failNext('hold', 'down');

    const res = await post(employer.auth);
    const jobId = res.body.jobId as string;
    const seenByEmployer = await request(h.app).get(`/jobs/${jobId}`).set(employer.auth);
    const seenByStudent = await request(h.app).get(`/jobs/${jobId}`).set(student.auth);
    await h.service.reconciler.runOnce();

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toMatchObject({ code: 'service.dependency_unavailable', jobId });
    expect(seenByEmployer.body.status).toBe('pending');
    expect(seenByStudent.status).toBe(404);
    const after = await request(h.app).get(`/jobs/${jobId}`).set(student.auth);
    expect(after.body).toMatchObject({ status: 'open', postedAt: h.clock.now().toISOString() });
    expect(h.mint.balance(employer.id)).toBe(850);
    expect((await h.outbox('forge.job.posted')).filter((e) => e.data['jobId'] === jobId)).toHaveLength(1);
  });

  it('When Mint held the reward but its answer was lost, then the retry with the same key posts the job without holding twice', async () => {
    const employer = await h.employer(1_000);
    h.mint.failNext('hold', 'lost_answer');

    const lost = await post(employer.auth, aJob, 'lost-answer');
    const retried = await post(employer.auth, aJob, 'lost-answer');

    expect(lost.status).toBe(503);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: lost.body.jobId, status: 'open' });
    expect(h.mint.balance(employer.id)).toBe(850);
    expect(h.mint.calls.filter((c) => c.reference === `job:${retried.body.id}`)).toHaveLength(2);
    expect((await h.outbox('forge.job.posted')).filter((e) => e.data['jobId'] === retried.body.id)).toHaveLength(1);
  });

  it('When the funds run out before the reconciler retries a pending job, then it is removed, never posted', async () => {
    const employer = await h.employer(150);
    h.mint.failNext('hold', 'down');
    const res = await post(employer.auth);
    h.mint.fund(employer.id, -100);

    await h.service.reconciler.runOnce();

    expect(res.status).toBe(503);
    expect(await myJobs(employer.auth)).toEqual([]);
    expect(h.mint.hold(`job:${res.body.jobId}`)).toBeUndefined();
  });
});
