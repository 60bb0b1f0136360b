// HTTP for applications: apply, the applicant's own, a job's applicants with their skill match,
// one application, and the employer's status changes.
import {
  Application,
  ApplicationParams,
  CreateApplicationRequest,
  JobApplicantPage,
  JobApplicantsQuery,
  JobParams,
  MyApplicationPage,
  MyApplicationsQuery,
  UpdateApplicationRequest,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { toApplication } from '../domain/views';
import { apply, changeStatus, jobApplicants, myApplications, readApplication } from '../use-cases/applications';
import type { ForgeContext } from '../use-cases/context';
import { callerOf } from './caller';

const tags = ['applications'];

export function applicationRoutes(api: Api, ctx: ForgeContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/jobs/:id/applications',
      summary: 'Apply to an open job',
      description:
        'Students (and admins); once per job (409 `application.duplicate` with the `applicationId`), never to your own job (403), only while the job is open (409 `job.not_open`).',
      tags,
      access: ['student'],
      params: JobParams,
      body: CreateApplicationRequest,
      responses: { 201: Application },
    },
    async ({ params, body }, req, res) => {
      res.status(201).json(toApplication(await apply(ctx, callerOf(req), params.id, body.coverLetter)));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/jobs/:id/applications',
      summary: "A job's applications, with each applicant's skill match",
      description: "The job's employer (or an admin). Oldest first; filter by `status`.",
      tags,
      access: 'user',
      params: JobParams,
      query: JobApplicantsQuery,
      responses: { 200: JobApplicantPage },
    },
    async ({ params, query }, req, res) => {
      res.json(await jobApplicants(ctx, callerOf(req).user, params.id, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/me/applications',
      summary: "The caller's applications, with their jobs",
      description: 'Newest first.',
      tags,
      access: 'user',
      query: MyApplicationsQuery,
      responses: { 200: MyApplicationPage },
    },
    async ({ query }, req, res) => {
      res.json(await myApplications(ctx, callerOf(req).user, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/applications/:id',
      summary: 'Read an application',
      description: "Its applicant, the job's employer and admins; 404 for anyone else.",
      tags,
      access: 'user',
      params: ApplicationParams,
      responses: { 200: Application },
    },
    async ({ params }, req, res) => {
      res.json(toApplication(await readApplication(ctx, callerOf(req).user, params.id)));
    },
  );

  api.endpoint(
    {
      method: 'patch',
      path: '/applications/:id',
      summary: "Change an application's status",
      description:
        "The job's employer (or an admin): applied → shortlisted | rejected, shortlisted → hired | rejected; anything else is 409 `application.invalid_transition`. Shortlisting and hiring need the job open; hiring fills it (one hire per job: 409 `job.already_filled`). Asking for the current status changes nothing.",
      tags,
      access: 'user',
      params: ApplicationParams,
      body: UpdateApplicationRequest,
      responses: { 200: Application },
    },
    async ({ params, body }, req, res) => {
      res.json(toApplication(await changeStatus(ctx, callerOf(req), params.id, body.status)));
    },
  );
}
