// HTTP for jobs: posting (escrowed), the board, recommendations, one job, the employer's own jobs,
// closing and completing. Parsing and access come from the endpoint declarations.
import {
  CreateJobRequest,
  IDEMPOTENT_REPLAY_HEADER,
  Job,
  JobListQuery,
  JobPage,
  JobParams,
  MyJobsQuery,
  RecommendedJobPage,
  RecommendedJobsQuery,
} from '@azora/contracts';
import { idempotencyKeyOf, type Api } from '@azora/service-kit';
import { toJob } from '../domain/views';
import { listJobs, myJobs, readJob, recommendJobs } from '../use-cases/board';
import type { ForgeContext } from '../use-cases/context';
import { postJob } from '../use-cases/posting';
import { closeJob, completeJob } from '../use-cases/settlement';
import { callerOf } from './caller';

const tags = ['jobs'];

export function jobRoutes(api: Api, ctx: ForgeContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/jobs',
      summary: 'Post a job, holding its reward in escrow',
      description:
        "Employers (and admins). The reward is held from the employer's wallet by Mint before the job opens; without enough AZR nothing is posted and the answer is 409 `wallet.insufficient_funds` (with `available` and `required`). When Mint does not confirm in time the answer is 503 with the `jobId`: the job is finished shortly (or repeat the request with the same Idempotency-Key).",
      tags,
      access: ['employer'],
      body: CreateJobRequest,
      headers: {
        'Idempotency-Key': {
          required: false,
          description:
            'Recommended. The same key with the same body answers the same job (Idempotent-Replayed: true) and holds nothing again; with another body it is a 409.',
        },
      },
      responses: { 201: Job },
    },
    async ({ body }, req, res) => {
      const key = idempotencyKeyOf(req, { required: false });
      const { job, replayed } = await postJob(ctx, callerOf(req), body, key);
      if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
      res.status(201).json(toJob(job));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/jobs',
      summary: 'List open jobs',
      description:
        'Newest first; with `q`, full-text matches ranked by relevance (title above description). Filter by `skill`; page with `cursor`.',
      tags,
      access: 'public',
      query: JobListQuery,
      responses: { 200: JobPage },
    },
    async ({ query }, _req, res) => {
      res.json(await listJobs(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/jobs/recommended',
      summary: "Open jobs ranked by the caller's proven skills",
      description:
        "Jobs of other employers asking for at least one skill the caller proved by completing a course, best coverage first (matched / the job's skills), ties broken by recency. Each item explains its score with the matched and missing skills.",
      tags,
      access: 'user',
      query: RecommendedJobsQuery,
      responses: { 200: RecommendedJobPage },
    },
    async ({ query }, req, res) => {
      res.json(await recommendJobs(ctx, callerOf(req).user, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/me/jobs',
      summary: "The caller's own jobs, every status",
      description: 'Newest first; filter by `status`. Pending jobs (escrow not confirmed yet) show here.',
      tags,
      access: 'user',
      query: MyJobsQuery,
      responses: { 200: JobPage },
    },
    async ({ query }, req, res) => {
      res.json(await myJobs(ctx, callerOf(req).user, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/jobs/:id',
      summary: 'Read a job',
      description: 'Open jobs for anyone; other jobs for their employer, admins and their applicants.',
      tags,
      access: 'public',
      params: JobParams,
      responses: { 200: Job },
    },
    async ({ params }, req, res) => {
      res.json(toJob(await readJob(ctx, req.user, params.id)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/jobs/:id/close',
      summary: 'Withdraw an open job, refunding its reward',
      description:
        "The job's employer (or an admin). Only an open job closes (a filled one is 409 `job.already_filled`); closing a closed job returns it unchanged.",
      tags,
      access: 'user',
      params: JobParams,
      responses: { 200: Job },
    },
    async ({ params }, req, res) => {
      res.json(toJob(await closeJob(ctx, callerOf(req), params.id)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/jobs/:id/complete',
      summary: 'Complete a job, paying its reward to the hired worker',
      description:
        "The job's employer (or an admin), after a hire. Releases the escrow to the worker and publishes forge.job.completed, from which Mint pays the learn-to-earn bonus (verified employers only). Completing a completed job returns it unchanged.",
      tags,
      access: 'user',
      params: JobParams,
      responses: { 200: Job },
    },
    async ({ params }, req, res) => {
      res.json(toJob(await completeJob(ctx, callerOf(req), params.id)));
    },
  );
}
