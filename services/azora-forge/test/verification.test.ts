// Employer verification: only admins decide it; the employer can read their own; the completion
// event carries the decision in force when the job completes.
import request from 'supertest';
import { aFilledJob } from './support/jobs';
import { startForge, type Harness } from './support/harness';

describe('employer verification', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const verify = (auth: { authorization: string }, userId: string, verified: unknown) =>
    request(h.app).post(`/employers/${userId}/verification`).set(auth).send({ verified });

  it('When an admin verifies an employer, then the decision is recorded with who made it, and the employer can read it', async () => {
    const admin = await h.admin();
    const employer = await h.employer();

    const before = await request(h.app).get(`/employers/${employer.id}/verification`).set(employer.auth);
    const res = await verify(admin.auth, employer.id, true);
    const after = await request(h.app).get(`/employers/${employer.id}/verification`).set(employer.auth);

    expect(before.body).toEqual({ userId: employer.id, verified: false, updatedBy: null, updatedAt: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: employer.id,
      verified: true,
      updatedBy: admin.id,
      updatedAt: h.clock.now().toISOString(),
    });
    expect(after.body).toEqual(res.body);
  });

  it('When anyone but an admin decides, or reads another employer, then 403; a bad body is 400', async () => {
    const employer = await h.employer();
    const other = await h.employer();

    expect((await verify(employer.auth, employer.id, true)).status).toBe(403);
    expect((await request(h.app).get(`/employers/${employer.id}/verification`).set(other.auth)).status).toBe(403);
    expect((await verify((await h.admin()).auth, employer.id, 'yes')).status).toBe(400);
    expect((await verify((await h.admin()).auth, 'not-a-uuid', true)).status).toBe(400);
  });

  it('When an admin withdraws verification before completion, then the completion event says unverified', async () => {
    const admin = await h.admin();
    const employer = await h.employer();
    const { job } = await aFilledJob(h, employer, await h.user());
    await verify(admin.auth, employer.id, true).expect(200);
    await verify(admin.auth, employer.id, false).expect(200);

    await request(h.app).post(`/jobs/${job.id}/complete`).set(employer.auth).expect(200);

    const [completion] = (await h.outbox('forge.job.completed')).filter((e) => e.data['jobId'] === job.id);
    expect(completion?.data['employerVerified']).toBe(false);
  });
});
