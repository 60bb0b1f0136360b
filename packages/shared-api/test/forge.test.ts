// The forge namespace: each method calls its route with its body and query, a job post carries an
// Idempotency-Key (the caller's, or a fresh one each time), and the types are the contracts'.
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import type { AzoraClient } from '../src';
import type { FakeGateway } from './support/fake-gateway';
import { startSignedInClient, UUID_V4, type SignedInClient } from './support/signed-in-client';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Forge = AzoraClient['forge'];

// Checked by the compiler (npm run typecheck): a contract change the client does not follow fails the build.
assertType<Equal<Arg<Forge['createJob']>, z.input<typeof C.CreateJobRequest>>>();
assertType<Equal<Result<Forge['createJob']>, z.output<typeof C.Job>>>();
assertType<Equal<Arg<Forge['listJobs']>, z.input<typeof C.JobListQuery> | undefined>>();
assertType<Equal<Result<Forge['listJobs']>, z.output<typeof C.JobPage>>>();
assertType<Equal<Result<Forge['recommendedJobs']>, z.output<typeof C.RecommendedJobPage>>>();
assertType<Equal<Arg<Forge['apply'], 1>, z.input<typeof C.CreateApplicationRequest>>>();
assertType<Equal<Arg<Forge['updateApplication'], 1>, z.input<typeof C.UpdateApplicationRequest>>>();
assertType<Equal<Result<Forge['jobApplications']>, z.output<typeof C.JobApplicantPage>>>();
assertType<Equal<Result<Forge['myApplications']>, z.output<typeof C.MyApplicationPage>>>();
assertType<Equal<Result<Forge['mySkills']>, z.output<typeof C.SkillProfile>>>();
assertType<Equal<Result<Forge['setEmployerVerification']>, z.output<typeof C.EmployerVerification>>>();

const id = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';
const job = { title: 'Dashboard', description: 'Charts', skills: ['sql'], reward: 50 };

let gateway: FakeGateway;
let client: AzoraClient;
let lastRequestOf: SignedInClient['lastRequestOf'];

beforeAll(async () => {
  ({ gateway, client, lastRequestOf } = await startSignedInClient());
});

afterAll(async () => {
  await gateway.close();
});

type Case = [name: string, call: () => Promise<unknown>, method: string, path: string, body?: unknown];

const cases: Case[] = [
  ['createJob', () => client.forge.createJob(job), 'POST', '/api/forge/jobs', job],
  ['listJobs', () => client.forge.listJobs({ q: 'charts', skill: 'sql', limit: 5 }), 'GET', '/api/forge/jobs'],
  ['recommendedJobs', () => client.forge.recommendedJobs({ limit: 3 }), 'GET', '/api/forge/jobs/recommended'],
  ['myJobs', () => client.forge.myJobs({ status: 'open' }), 'GET', '/api/forge/me/jobs'],
  ['getJob', () => client.forge.getJob(id), 'GET', `/api/forge/jobs/${id}`],
  ['closeJob', () => client.forge.closeJob(id), 'POST', `/api/forge/jobs/${id}/close`],
  ['completeJob', () => client.forge.completeJob(id), 'POST', `/api/forge/jobs/${id}/complete`],
  [
    'apply',
    () => client.forge.apply(id, { coverLetter: 'Hi' }),
    'POST',
    `/api/forge/jobs/${id}/applications`,
    { coverLetter: 'Hi' },
  ],
  ['jobApplications', () => client.forge.jobApplications(id), 'GET', `/api/forge/jobs/${id}/applications`],
  ['myApplications', () => client.forge.myApplications(), 'GET', '/api/forge/me/applications'],
  ['getApplication', () => client.forge.getApplication(id), 'GET', `/api/forge/applications/${id}`],
  [
    'updateApplication',
    () => client.forge.updateApplication(id, { status: 'shortlisted' }),
    'PATCH',
    `/api/forge/applications/${id}`,
    { status: 'shortlisted' },
  ],
  ['mySkills', () => client.forge.mySkills(), 'GET', '/api/forge/me/skills'],
  [
    'setEmployerVerification',
    () => client.forge.setEmployerVerification(id, { verified: true }),
    'POST',
    `/api/forge/employers/${id}/verification`,
    { verified: true },
  ],
  [
    'employerVerification',
    () => client.forge.employerVerification(id),
    'GET',
    `/api/forge/employers/${id}/verification`,
  ],
];

test.each(cases.map(([name, call, method, path, body]) => ({ name, call, method, path, body })))(
  'When forge.$name is called, then it sends its method and path with the access token',
  async ({ call, method, path, body }) => {
    const request = await lastRequestOf(call);

    expect(request.method).toBe(method);
    expect(request.path).toBe(path);
    expect(request.headers['authorization']).toBe(`Bearer ${client.getTokens().accessToken}`);
    if (body !== undefined) expect(request.body).toEqual(body);
  },
);

test('When every forge method is listed, then each has a case above', () => {
  expect(Object.keys(client.forge).filter((m) => !cases.some(([name]) => name === m))).toEqual([]);
});

test('When the board is queried, then the query parameters are sent as given', async () => {
  const request = await lastRequestOf(() => client.forge.listJobs({ q: 'charts', skill: 'sql', limit: 5 }));

  expect(request.query).toEqual({ q: 'charts', skill: 'sql', limit: '5' });
});

test('When a job is posted without a key, then a fresh UUID v4 Idempotency-Key is sent each time', async () => {
  const first = await lastRequestOf(() => client.forge.createJob(job));
  const second = await lastRequestOf(() => client.forge.createJob(job));

  expect(first.headers['idempotency-key']).toMatch(UUID_V4);
  expect(second.headers['idempotency-key']).toMatch(UUID_V4);
  expect(first.headers['idempotency-key']).not.toBe(second.headers['idempotency-key']);
});

test('When a job is posted with a key, then exactly that Idempotency-Key is sent', async () => {
  const request = await lastRequestOf(() => client.forge.createJob(job, { idempotencyKey: 'job-7' }));

  expect(request.headers['idempotency-key']).toBe('job-7');
});
