// Closing and completing: closing an open job refunds its reward; completing pays the hired worker.
// Both are safe to repeat, and a Mint answer that never arrived is finished by the retry or by the
// reconciler without paying twice or losing the payment.
import request from 'supertest';
import { waitFor } from '@azora/testing';
import { aFilledJob, anApplication, anOpenJob } from './support/jobs';
import { startForge, type Harness } from './support/harness';

describe('closing and completing jobs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const close = (auth: { authorization: string }, id: string) => request(h.app).post(`/jobs/${id}/close`).set(auth);
  const complete = (auth: { authorization: string }, id: string) =>
    request(h.app).post(`/jobs/${id}/complete`).set(auth);
  const completions = async (jobId: string) =>
    (await h.outbox('forge.job.completed')).filter((e) => e.data['jobId'] === jobId);

  it('When an employer closes an open job, then the reward comes back, the job leaves the board, and closing again changes nothing', async () => {
    const employer = await h.employer(500);
    const student = await h.user();
    const job = await anOpenJob(h, employer, { reward: 200, skills: ['welding'] });
    await h.proveSkills(student.id, ['welding']);

    const closed = await close(employer.auth, job.id);
    const again = await close(employer.auth, job.id);

    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: h.clock.now().toISOString() });
    expect(again.body).toEqual(closed.body);
    expect(h.mint.balance(employer.id)).toBe(500);
    expect(h.mint.hold(`job:${job.id}`)?.status).toBe('refunded');
    expect(h.mint.calls.filter((c) => c.operation === 'refund' && c.reference === `job:${job.id}`)).toHaveLength(1);
    const board = await request(h.app).get('/jobs?skill=welding');
    expect(board.body.items.map((j: { id: string }) => j.id)).not.toContain(job.id);
    const recommended = await request(h.app).get('/jobs/recommended').set(student.auth);
    expect(recommended.body.items).toEqual([]);
    const applying = await request(h.app)
      .post(`/jobs/${job.id}/applications`)
      .set(student.auth)
      .send({ coverLetter: 'Still?' });
    expect(applying.status).toBe(404);
  });

  it('When a job someone applied to is closed, then the applicant can still read it and applying is 409', async () => {
    const employer = await h.employer();
    const [first, second] = [await h.user(), await h.user()];
    const job = await anOpenJob(h, employer);
    await anApplication(h, first!, job.id);
    await close(employer.auth, job.id).expect(200);

    const read = await request(h.app).get(`/jobs/${job.id}`).set(first!.auth);
    const late = await request(h.app)
      .post(`/jobs/${job.id}/applications`)
      .set(second!.auth)
      .send({ coverLetter: 'Hi' });

    expect(read.body.status).toBe('closed');
    expect(late.status).toBe(404);
  });

  it('When a filled job is closed, or an open one completed, then 409 and nothing moves', async () => {
    const employer = await h.employer();
    const student = await h.user();
    const { job: filled } = await aFilledJob(h, employer, student);
    const open = await anOpenJob(h, employer);

    const closing = await close(employer.auth, filled.id);
    const completing = await complete(employer.auth, open.id);

    expect(closing.status).toBe(409);
    expect(closing.body.code).toBe('job.already_filled');
    expect(completing.status).toBe(409);
    expect(completing.body.code).toBe('job.not_filled');
    expect(h.mint.hold(`job:${filled.id}`)?.status).toBe('held');
    expect(h.mint.hold(`job:${open.id}`)?.status).toBe('held');
  });

  it('When a completed job is closed, then 409 job.not_open', async () => {
    const employer = await h.employer();
    const { job } = await aFilledJob(h, employer, await h.user());
    await complete(employer.auth, job.id).expect(200);

    const res = await close(employer.auth, job.id);

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('job.not_open');
  });

  it("When someone else closes or completes an employer's job, then 403 for an open job and nothing moves", async () => {
    const employer = await h.employer();
    const other = await h.employer();
    const job = await anOpenJob(h, employer);

    const closing = await close(other.auth, job.id);
    const completing = await complete(other.auth, job.id);

    expect(closing.status).toBe(403);
    expect(completing.status).toBe(403);
    expect(closing.body.code).toBe('job.not_owner');
    expect(h.mint.hold(`job:${job.id}`)?.status).toBe('held');
  });

  it('When an admin closes any open job, then it is refunded to its employer', async () => {
    const employer = await h.employer(300);
    const admin = await h.admin();
    const job = await anOpenJob(h, employer, { reward: 300 });

    const res = await close(admin.auth, job.id);

    expect(res.status).toBe(200);
    expect(h.mint.balance(employer.id)).toBe(300);
  });

  it('When Mint released the reward but its answer was lost, then completing again pays nobody twice and publishes once', async () => {
    const employer = await h.employer(500);
    const worker = await h.user();
    const { job } = await aFilledJob(h, employer, worker, { reward: 90 });
    h.mint.failNext('release', 'lost_answer');

    const lost = await complete(employer.auth, job.id);
    const stillCompleting = await request(h.app).get(`/jobs/${job.id}`).set(employer.auth);
    const retried = await complete(employer.auth, job.id);

    expect(lost.status).toBe(503);
    expect(stillCompleting.body.status).toBe('completing');
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('completed');
    expect(h.mint.balance(worker.id)).toBe(90);
    expect(await completions(job.id)).toHaveLength(1);
  });

  it('When Mint is down at completion and nobody retries, then the reconciler completes the job once', async () => {
    const employer = await h.employer(500);
    const worker = await h.user();
    const { job } = await aFilledJob(h, employer, worker, { reward: 70 });
    h.mint.failNext('release', 'down');

    const res = await complete(employer.auth, job.id);
    await h.service.reconciler.runOnce();
    await h.service.reconciler.runOnce();

    expect(res.status).toBe(503);
    const after = await request(h.app).get(`/jobs/${job.id}`).set(employer.auth);
    expect(after.body.status).toBe('completed');
    expect(h.mint.balance(worker.id)).toBe(70);
    expect(await completions(job.id)).toHaveLength(1);
  });

  it('When the refund answer is lost, then the reconciler closes the job and the employer is refunded once', async () => {
    const employer = await h.employer(400);
    const job = await anOpenJob(h, employer, { reward: 400 });
    h.mint.failNext('refund', 'lost_answer');

    const res = await close(employer.auth, job.id);
    await h.service.reconciler.runOnce();

    expect(res.status).toBe(503);
    const after = await request(h.app).get(`/jobs/${job.id}`).set(employer.auth);
    expect(after.body.status).toBe('closed');
    expect(h.mint.balance(employer.id)).toBe(400);
  });

  it('When completions race, then the worker is paid once and one event is published', async () => {
    const employer = await h.employer(500);
    const worker = await h.user();
    const { job } = await aFilledJob(h, employer, worker, { reward: 60 });

    const answers = await Promise.all(Array.from({ length: 5 }, () => complete(employer.auth, job.id)));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(h.mint.balance(worker.id)).toBe(60);
    expect(await completions(job.id)).toHaveLength(1);
  });

  it('When Forge stops after Mint paid but before it recorded the payment, then the restarted process completes the job at start-up, once', async () => {
    const employer = await h.employer(500);
    const worker = await h.user();
    const { job } = await aFilledJob(h, employer, worker, { reward: 110 });
    h.mint.failNext('release', 'lost_answer');
    await complete(employer.auth, job.id).expect(503);

    const restarted = h.restarted();
    restarted.reconciler.start();
    await waitFor(
      async () =>
        expect((await request(restarted.app).get(`/jobs/${job.id}`).set(employer.auth)).body.status).toBe('completed'),
      { what: 'the restarted reconciler to complete the job' },
    );

    expect(h.mint.balance(worker.id)).toBe(110);
    expect(h.mint.calls.filter((c) => c.operation === 'release' && c.reference === `job:${job.id}`)).toHaveLength(2);
    expect(await completions(job.id)).toHaveLength(1);
  });
});
