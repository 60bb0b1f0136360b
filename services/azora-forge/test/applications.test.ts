// Applications: who may apply (students, once, not to their own job, only to an open job), the
// status machine (applied → shortlisted | rejected, shortlisted → hired | rejected; one hire per
// job; every other change 409), and who sees what.
import request from 'supertest';
import type { ApplicationStatus } from '@azora/contracts';
import { anApplication, anOpenJob, moveTo } from './support/jobs';
import { startForge, type Harness } from './support/harness';

describe('applications', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  const patch = (auth: { authorization: string }, id: string, status: string) =>
    request(h.app).patch(`/applications/${id}`).set(auth).send({ status });

  /** An application brought to `status` through legal steps. */
  async function anApplicationIn(status: ApplicationStatus) {
    const employer = await h.employer();
    const student = await h.user();
    const job = await anOpenJob(h, employer);
    const application = await anApplication(h, student, job.id);
    const path: Record<ApplicationStatus, string[]> = {
      applied: [],
      shortlisted: ['shortlisted'],
      rejected: ['rejected'],
      hired: ['shortlisted', 'hired'],
    };
    for (const step of path[status]) await moveTo(h, employer, application.id, step);
    return { employer, student, job, application };
  }

  it.each([
    ['applied', 'hired'],
    ['rejected', 'shortlisted'],
    ['rejected', 'hired'],
    ['hired', 'rejected'],
    ['hired', 'shortlisted'],
  ] as const)(
    'When an application that is %s is moved to %s, then 409 names both and nothing is published',
    async (from, to) => {
      const { employer, application } = await anApplicationIn(from);
      const before = (await h.outbox('forge.application.status_changed')).length;

      const res = await patch(employer.auth, application.id, to);

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'application.invalid_transition', from, to });
      expect((await h.outbox('forge.application.status_changed')).length).toBe(before);
    },
  );

  it('When the status asked is the current one, then the application answers unchanged and nothing is published', async () => {
    const { employer, application } = await anApplicationIn('shortlisted');
    const before = (await h.outbox('forge.application.status_changed')).length;

    const res = await patch(employer.auth, application.id, 'shortlisted');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('shortlisted');
    expect((await h.outbox('forge.application.status_changed')).length).toBe(before);
  });

  it.each([['applied'], ['withdrawn'], ['']])(
    'When the status asked is "%s", then 400 names body.status',
    async (status) => {
      const { employer, application } = await anApplicationIn('applied');

      const res = await patch(employer.auth, application.id, status);

      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.status']);
    },
  );

  it('When a second applicant is hired for a filled job, then 409 job.already_filled and the first hire stands', async () => {
    const employer = await h.employer();
    const [first, second] = [await h.user(), await h.user()];
    const job = await anOpenJob(h, employer);
    const a = await anApplication(h, first!, job.id);
    const b = await anApplication(h, second!, job.id);
    await moveTo(h, employer, a.id, 'shortlisted');
    await moveTo(h, employer, b.id, 'shortlisted');
    await moveTo(h, employer, a.id, 'hired');

    const res = await patch(employer.auth, b.id, 'hired');
    const rejected = await patch(employer.auth, b.id, 'rejected');

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('job.already_filled');
    expect(rejected.status).toBe(200);
    const read = await request(h.app).get(`/jobs/${job.id}`).set(employer.auth);
    expect(read.body).toMatchObject({ status: 'filled', hiredUserId: first!.id });
  });

  it('When two shortlisted applicants are hired at once, then exactly one hire happens', async () => {
    const employer = await h.employer();
    const students = await Promise.all([h.user(), h.user(), h.user()]);
    const job = await anOpenJob(h, employer);
    const applications = [];
    for (const s of students) applications.push(await anApplication(h, s, job.id));
    for (const a of applications) await moveTo(h, employer, a.id, 'shortlisted');

    const answers = await Promise.all(applications.map((a) => patch(employer.auth, a.id, 'hired')));

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(2);
  });

  it('When a student applies twice, to their own job, or as an employer, then 409, 403 and 403', async () => {
    const employer = await h.employer();
    const student = await h.user();
    const admin = await h.admin();
    h.mint.fund(admin.id, 100);
    const job = await anOpenJob(h, employer);
    const ownJob = await anOpenJob(h, admin);
    const first = await anApplication(h, student, job.id);

    const twice = await request(h.app)
      .post(`/jobs/${job.id}/applications`)
      .set(student.auth)
      .send({ coverLetter: 'x' });
    const own = await request(h.app).post(`/jobs/${ownJob.id}/applications`).set(admin.auth).send({ coverLetter: 'x' });
    const asEmployer = await request(h.app)
      .post(`/jobs/${job.id}/applications`)
      .set((await h.employer()).auth)
      .send({ coverLetter: 'x' });

    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'application.duplicate', applicationId: first.id });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('application.own_job');
    expect(asEmployer.status).toBe(403);
  });

  it('When a student applies to a filled job or an unknown one, then 404: neither is on the board', async () => {
    const { job } = await anApplicationIn('hired');
    const late = await h.user();

    const filled = await request(h.app).post(`/jobs/${job.id}/applications`).set(late.auth).send({ coverLetter: 'x' });
    const unknown = await request(h.app)
      .post(`/jobs/${crypto.randomUUID()}/applications`)
      .set(late.auth)
      .send({ coverLetter: 'x' });

    expect(filled.status).toBe(404);
    expect(unknown.status).toBe(404);
  });

  it("When another employer or the applicant tries to manage an application, then 404 and 403, and only the job's employer lists its applicants", async () => {
    const { application, student, job } = await anApplicationIn('applied');
    const stranger = await h.employer();

    const byStranger = await patch(stranger.auth, application.id, 'shortlisted');
    const byApplicant = await patch(student.auth, application.id, 'shortlisted');
    const strangerList = await request(h.app).get(`/jobs/${job.id}/applications`).set(stranger.auth);
    const applicantList = await request(h.app).get(`/jobs/${job.id}/applications`).set(student.auth);

    expect(byStranger.status).toBe(404);
    expect(byApplicant.status).toBe(403);
    expect(strangerList.status).toBe(403);
    expect(applicantList.status).toBe(403);
  });

  it('When applicants look at applications, then each sees only their own', async () => {
    const { application, student, employer, job } = await anApplicationIn('applied');
    const other = await h.user();
    await anApplication(h, other, job.id);

    const own = await request(h.app).get(`/applications/${application.id}`).set(student.auth);
    const foreign = await request(h.app).get(`/applications/${application.id}`).set(other.auth);
    const byEmployer = await request(h.app).get(`/applications/${application.id}`).set(employer.auth);
    const mine = await request(h.app).get('/me/applications').set(student.auth);

    expect(own.status).toBe(200);
    expect(foreign.status).toBe(404);
    expect(byEmployer.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id: application.id,
        userId: student.id,
        job: { id: job.id, title: job.title, status: 'open', reward: job.reward, employerId: employer.id },
      }),
    ]);
  });

  it('When an employer lists applicants by status, page by page, then each page holds the rest in order', async () => {
    const employer = await h.employer();
    const job = await anOpenJob(h, employer);
    const applications = [];
    for (let i = 0; i < 3; i++) {
      applications.push(await anApplication(h, await h.user(), job.id));
      h.clock.advance(1_000);
    }
    await moveTo(h, employer, applications[1]!.id, 'rejected');

    const page1 = await request(h.app).get(`/jobs/${job.id}/applications?limit=1&status=applied`).set(employer.auth);
    const page2 = await request(h.app)
      .get(`/jobs/${job.id}/applications?limit=1&status=applied&cursor=${page1.body.nextCursor}`)
      .set(employer.auth);
    const badCursor = await request(h.app).get(`/jobs/${job.id}/applications?cursor=nope`).set(employer.auth);

    expect(page1.body.items.map((a: { id: string }) => a.id)).toEqual([applications[0]!.id]);
    expect(page2.body.items.map((a: { id: string }) => a.id)).toEqual([applications[2]!.id]);
    expect(page2.body.nextCursor).toBeNull();
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('request.invalid_cursor');
  });
});
