// HTTP for reward eligibility: admins decide whether completing a course pays learn-to-earn
// rewards. The course's instructor may not decide it for their own course.
import { Course, CourseParams, SetRewardEligibilityRequest } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { toCourse } from '../domain/views';
import type { EducationContext } from '../use-cases/context';
import { setRewardEligibility } from '../use-cases/rewards';
import { callerOf } from './caller';

export function rewardRoutes(api: Api, ctx: EducationContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/courses/:id/rewards',
      summary: 'Decide whether completing a course pays rewards',
      description:
        "Admins only. Sets the course's `rewardEligible` (false until an admin sets it); sending the current value changes nothing. Lesson and course completion events carry the value in force when they happen, and Mint's reward policy pays only for eligible courses.",
      tags: ['courses'],
      access: ['admin'],
      params: CourseParams,
      body: SetRewardEligibilityRequest,
      responses: { 200: Course },
    },
    async ({ params, body }, req, res) => {
      res.json(toCourse(await setRewardEligibility(ctx, callerOf(req), params.id, body.eligible)));
    },
  );
}
