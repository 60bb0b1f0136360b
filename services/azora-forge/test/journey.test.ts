// The whole path of a job: an employer posts it (its reward held at Mint), a student whose
// completed course proves the skills finds it recommended, applies, is shortlisted and hired, and
// the employer completes it: the reward goes to the worker and forge.job.completed is published
// once, carrying whether an admin verified the employer.
import request from 'supertest';
import { anApplication, anOpenJob, moveTo } from './support/jobs';
import { startForge, type Harness } from './support/harness';

describe('a job from posting to completion', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  it('When a verified employer posts, hires a recommended student and completes, then the worker is paid and every step is published once', async () => {
    // Arrange
    const admin = await h.admin();
    const employer = await h.employer(500);
    const student = await h.user('student');
    await request(h.app)
      .post(`/employers/${employer.id}/verification`)
      .set(admin.auth)
      .send({ verified: true })
      .expect(200);
    await h.proveSkills(student.id, ['rust', 'sql']);

    // Act: post
    const posted = await request(h.app)
      .post('/jobs')
      .set(employer.auth)
      .send({
        title: 'Ledger export',
        description: 'Export the ledger to CSV',
        skills: ['Rust', 'sql', 'csv'],
        reward: 120,
      });

    // Assert: the reward left the employer's wallet for an escrow of the job's own
    expect(posted.status).toBe(201);
    const job = posted.body;
    expect(job).toMatchObject({
      employerId: employer.id,
      skills: ['rust', 'sql', 'csv'],
      reward: 120,
      currency: 'AZR',
      status: 'open',
      hiredUserId: null,
      postedAt: h.clock.now().toISOString(),
    });
    expect(h.mint.balance(employer.id)).toBe(380);
    expect(h.mint.hold(`job:${job.id}`)).toMatchObject({ ownerId: employer.id, amount: 120, status: 'held' });

    // Act: the student finds it, applies, is shortlisted and hired
    const recommended = await request(h.app).get('/jobs/recommended').set(student.auth);
    expect(recommended.status).toBe(200);
    expect(recommended.body.items[0]).toEqual({
      job: expect.objectContaining({ id: job.id }),
      match: { score: 0.667, matched: ['rust', 'sql'], missing: ['csv'] },
    });
    const application = await anApplication(h, student, job.id);
    const applicants = await request(h.app).get(`/jobs/${job.id}/applications`).set(employer.auth);
    expect(applicants.body.items).toEqual([
      expect.objectContaining({
        id: application.id,
        userId: student.id,
        status: 'applied',
        match: { score: 0.667, matched: ['rust', 'sql'], missing: ['csv'] },
      }),
    ]);
    await moveTo(h, employer, application.id, 'shortlisted');
    await moveTo(h, employer, application.id, 'hired');
    const filled = await request(h.app).get(`/jobs/${job.id}`).set(student.auth);
    expect(filled.body).toMatchObject({ status: 'filled', hiredUserId: student.id });

    // Act: complete, twice
    const completed = await request(h.app).post(`/jobs/${job.id}/complete`).set(employer.auth);
    const again = await request(h.app).post(`/jobs/${job.id}/complete`).set(employer.auth);

    // Assert
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', completedAt: h.clock.now().toISOString() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(completed.body);
    expect(h.mint.balance(student.id)).toBe(120);
    expect(h.mint.hold(`job:${job.id}`)).toMatchObject({ status: 'released', releasedTo: student.id });
    expect(h.mint.calls.filter((c) => c.operation === 'release')).toHaveLength(1);

    const events = (await h.outbox()).filter((e) => e.data['jobId'] === job.id);
    expect(events.map((e) => [e.type, e.data['status'] ?? null])).toEqual([
      ['forge.job.posted', null],
      ['forge.application.status_changed', 'applied'],
      ['forge.application.status_changed', 'shortlisted'],
      ['forge.application.status_changed', 'hired'],
      ['forge.job.completed', null],
    ]);
    expect(events[0]).toEqual({
      type: 'forge.job.posted',
      subject: employer.id,
      data: { jobId: job.id, employerId: employer.id, skills: ['rust', 'sql', 'csv'], reward: 120 },
    });
    expect(events[4]).toEqual({
      type: 'forge.job.completed',
      subject: student.id,
      data: { jobId: job.id, workerId: student.id, reward: 120, employerId: employer.id, employerVerified: true },
    });
  });

  it('When an employer nobody verified completes a job, then the completion event says so and the escrow is still paid', async () => {
    const employer = await h.employer(200);
    const friend = await h.user('student');
    const job = await anOpenJob(h, employer, { reward: 80 });
    const application = await anApplication(h, friend, job.id);
    await moveTo(h, employer, application.id, 'shortlisted');
    await moveTo(h, employer, application.id, 'hired');

    const res = await request(h.app).post(`/jobs/${job.id}/complete`).set(employer.auth);

    expect(res.status).toBe(200);
    expect(h.mint.balance(friend.id)).toBe(80);
    const [completion] = (await h.outbox('forge.job.completed')).filter((e) => e.data['jobId'] === job.id);
    expect(completion?.data).toMatchObject({ employerId: employer.id, workerId: friend.id, employerVerified: false });
  });

  it('When the journey has happened, then /metrics counts it in the domain counters', async () => {
    const employer = await h.employer();
    const student = await h.user();
    const job = await anOpenJob(h, employer);
    const application = await anApplication(h, student, job.id);
    await moveTo(h, employer, application.id, 'shortlisted');
    await moveTo(h, employer, application.id, 'hired');
    await request(h.app).post(`/jobs/${job.id}/complete`).set(employer.auth).expect(200);
    await request(h.app).get('/jobs/recommended').set(student.auth).expect(200);

    const res = await request(h.app).get('/metrics');

    for (const name of ['forge_jobs_posted_total', 'forge_jobs_completed_total']) {
      expect(res.text).toMatch(new RegExp(`^${name}\\{[^}]*\\} [1-9]\\d*$`, 'm'));
    }
    expect(res.text).toMatch(/^forge_applications_total\{status="hired"[^}]*\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^forge_escrow_calls_total\{operation="hold",outcome="done"[^}]*\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^forge_recommendation_duration_seconds_count\{[^}]*\} [1-9]\d*$/m);
  });
});
