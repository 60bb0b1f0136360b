// Jobs and applications made through Forge's API the way employers and students would; each step
// checks its own answer, so a test names only what it is about.
import request from 'supertest';
import type { Application, CreateJobRequest, Job } from '@azora/contracts';
import type { Harness, TestUser } from './harness';

function expectStatus(res: request.Response, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.text}`);
}

/** An open job by `employer` (whose wallet must cover the reward). */
export async function anOpenJob(h: Harness, employer: TestUser, spec: Partial<CreateJobRequest> = {}): Promise<Job> {
  const res = await request(h.app)
    .post('/jobs')
    .set(employer.auth)
    .send({
      title: 'Build a soil moisture dashboard',
      description: 'Charts from field sensors',
      skills: ['agronomy', 'typescript'],
      reward: 100,
      ...spec,
    });
  expectStatus(res, 201, 'posting a job');
  return res.body as Job;
}

export async function anApplication(h: Harness, student: TestUser, jobId: string): Promise<Application> {
  const res = await request(h.app)
    .post(`/jobs/${jobId}/applications`)
    .set(student.auth)
    .send({ coverLetter: 'I have done this before.' });
  expectStatus(res, 201, 'applying');
  return res.body as Application;
}

export async function moveTo(h: Harness, employer: TestUser, applicationId: string, status: string) {
  const res = await request(h.app).patch(`/applications/${applicationId}`).set(employer.auth).send({ status });
  expectStatus(res, 200, `moving the application to ${status}`);
  return res.body as Application;
}

/** An open job with `student` hired for it. */
export async function aFilledJob(
  h: Harness,
  employer: TestUser,
  student: TestUser,
  spec: Partial<CreateJobRequest> = {},
) {
  const job = await anOpenJob(h, employer, spec);
  const application = await anApplication(h, student, job.id);
  await moveTo(h, employer, application.id, 'shortlisted');
  await moveTo(h, employer, application.id, 'hired');
  return { job, application };
}
