// HTTP for courses: the catalogue, one course, authoring (create, edit while draft, publish)
// and the owner's stats. Parsing and access come from the endpoint declarations.
import {
  Course,
  CourseDetail,
  CourseListQuery,
  CoursePage,
  CourseParams,
  CourseStats,
  CreateCourseRequest,
  UpdateCourseRequest,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { courseStats, listCourses, readCourse } from '../use-cases/catalogue';
import type { EducationContext } from '../use-cases/context';
import { changeCourse, createCourse, publishCourse } from '../use-cases/courses';
import { toCourse } from '../domain/views';
import { callerOf } from './caller';

const tags = ['courses'];

export function courseRoutes(api: Api, ctx: EducationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/courses',
      summary: 'List published courses',
      description:
        'Newest first; with `q`, full-text matches ranked by relevance (title above description). Filter by `skill`; page with `cursor`.',
      tags,
      access: 'public',
      query: CourseListQuery,
      responses: { 200: CoursePage },
    },
    async ({ query }, _req, res) => {
      res.json(await listCourses(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/courses/:id',
      summary: 'Read a course with its lessons',
      description:
        "Lesson titles for everyone; lesson content for enrolled users, the course's instructor and admins. Drafts are visible to their instructor and admins only.",
      tags,
      access: 'public',
      params: CourseParams,
      responses: { 200: CourseDetail },
    },
    async ({ params }, req, res) => {
      res.json(await readCourse(ctx, req.user, params.id));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/courses',
      summary: 'Create a draft course',
      tags,
      access: ['instructor'],
      body: CreateCourseRequest,
      responses: { 201: Course },
    },
    async ({ body }, req, res) => {
      res.status(201).json(toCourse(await createCourse(ctx, callerOf(req), body)));
    },
  );

  api.endpoint(
    {
      method: 'patch',
      path: '/courses/:id',
      summary: 'Change a draft course',
      tags,
      access: ['instructor'],
      params: CourseParams,
      body: UpdateCourseRequest,
      responses: { 200: Course },
    },
    async ({ params, body }, req, res) => {
      res.json(toCourse(await changeCourse(ctx, callerOf(req), params.id, body)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/courses/:id/publish',
      summary: 'Publish a course',
      description: 'Needs at least one lesson. Publishing a published course returns it unchanged.',
      tags,
      access: ['instructor'],
      params: CourseParams,
      responses: { 200: Course },
    },
    async ({ params }, req, res) => {
      res.json(toCourse(await publishCourse(ctx, callerOf(req), params.id)));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/courses/:id/stats',
      summary: "A course's enrolments and completions",
      description: "For the course's instructor and admins.",
      tags,
      access: 'user',
      params: CourseParams,
      responses: { 200: CourseStats },
    },
    async ({ params }, req, res) => {
      res.json(await courseStats(ctx, callerOf(req).user, params.id));
    },
  );
}
