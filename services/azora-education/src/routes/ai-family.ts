// Service-only reads for AI Family's tutor (its service credential only; never through the
// gateway): a learner's context, a published course's content, the published courses.
import {
  CourseContent,
  CourseParams,
  LearnerContext,
  LearnerParams,
  PublishedCoursePage,
  PublishedCourseQuery,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { EducationContext } from '../use-cases/context';
import { learnerContext, publishedCourseContent, publishedCourses } from '../use-cases/tutor-context';

/** Only AI Family reads learners' progress and whole courses this way. */
const AI_FAMILY_ONLY = { services: ['ai-family-service'] } as const;
const tags = ['ai-family'];

export function aiFamilyRoutes(api: Api, ctx: EducationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/service/learners/:userId/context',
      summary: "A learner's active enrolments with progress and next lesson (AI Family only)",
      description: 'The 20 most recent active enrolments, newest first; refunded ones are left out.',
      tags,
      access: AI_FAMILY_ONLY,
      params: LearnerParams,
      responses: { 200: LearnerContext },
    },
    async ({ params }, _req, res) => {
      res.json(await learnerContext(ctx, params.userId));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/service/courses/:id/content',
      summary: "A published course with every lesson's content (AI Family only)",
      description: 'For the tutor’s index. A draft or unknown course is 404 course.not_found.',
      tags,
      access: AI_FAMILY_ONLY,
      params: CourseParams,
      responses: { 200: CourseContent },
    },
    async ({ params }, _req, res) => {
      res.json(await publishedCourseContent(ctx, params.id));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/service/published-courses',
      summary: 'Published courses, oldest publication first (AI Family only)',
      description: 'For catching up on courses published while AI Family was not listening.',
      tags,
      access: AI_FAMILY_ONLY,
      query: PublishedCourseQuery,
      responses: { 200: PublishedCoursePage },
    },
    async ({ query }, _req, res) => {
      res.json(await publishedCourses(ctx, query));
    },
  );
}
