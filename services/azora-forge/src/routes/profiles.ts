// HTTP for skill profiles and employer verification.
import { EmployerParams, EmployerVerification, SetEmployerVerificationRequest, SkillProfile } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { ForgeContext } from '../use-cases/context';
import { readVerification, setVerification } from '../use-cases/employers';
import { mySkills } from '../use-cases/skills';
import { callerOf } from './caller';

export function profileRoutes(api: Api, ctx: ForgeContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/me/skills',
      summary: "The caller's proven skills",
      description:
        'Each skill with the completed courses that proved it (a course completed by its own author proves nothing). Skills in alphabetical order.',
      tags: ['skills'],
      access: 'user',
      responses: { 200: SkillProfile },
    },
    async (_input, req, res) => {
      res.json(await mySkills(ctx, callerOf(req).user));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/employers/:userId/verification',
      summary: "Decide whether an employer's completed jobs pay the learn-to-earn bonus",
      description:
        "Admins only. Unverified until an admin says otherwise; sending the current value changes nothing. forge.job.completed carries the value in force when the job completes, and Mint's reward policy pays the bonus only for verified employers.",
      tags: ['employers'],
      access: ['admin'],
      params: EmployerParams,
      body: SetEmployerVerificationRequest,
      responses: { 200: EmployerVerification },
    },
    async ({ params, body }, req, res) => {
      res.json(await setVerification(ctx, callerOf(req), params.userId, body.verified));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/employers/:userId/verification',
      summary: "An employer's verification",
      description: 'Admins and the employer themself.',
      tags: ['employers'],
      access: 'user',
      params: EmployerParams,
      responses: { 200: EmployerVerification },
    },
    async ({ params }, req, res) => {
      res.json(await readVerification(ctx, callerOf(req).user, params.userId));
    },
  );
}
