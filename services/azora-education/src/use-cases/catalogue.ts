// Reading courses: the catalogue of published courses (search, skill, keyset pages), one
// course with its lessons, and the owner's numbers.
import type { z } from 'zod';
import {
  keysetPage,
  type CourseDetail,
  type CourseListQuery,
  type CoursePage,
  type CourseStats,
} from '@azora/contracts';
import { findCourse, listCatalogue, readCourseStats } from '../db/courses';
import { findEnrollment } from '../db/enrollments';
import { listLessons } from '../db/lessons';
import { canViewContent, managedCourse, visibleCourse, type Viewer } from '../domain/access';
import { decodeCataloguePosition, encodeCataloguePosition } from '../domain/cursors';
import { completionRate } from '../domain/progress';
import { toCourse, toCourseDetail } from '../domain/views';
import type { EducationContext } from './context';

export async function listCourses(ctx: EducationContext, query: z.output<typeof CourseListQuery>): Promise<CoursePage> {
  const ranked = query.q !== undefined;
  const after = query.cursor === undefined ? undefined : decodeCataloguePosition(query.cursor, ranked);
  // One row more than the page tells whether another page follows.
  const entries = await listCatalogue(ctx.pool, { q: query.q, skill: query.skill, after, limit: query.limit + 1 });
  return keysetPage(
    entries,
    query.limit,
    (entry) => toCourse(entry.course),
    (last) => encodeCataloguePosition(last.position),
  );
}

export async function readCourse(ctx: EducationContext, viewer: Viewer, id: string): Promise<CourseDetail> {
  const course = visibleCourse(viewer, await findCourse(ctx.pool, id), id);
  const [lessons, enrollment] = await Promise.all([
    listLessons(ctx.pool, id),
    viewer ? findEnrollment(ctx.pool, id, viewer.id) : Promise.resolve(null),
  ]);
  return toCourseDetail(course, lessons, canViewContent(viewer, course, enrollment));
}

export async function courseStats(ctx: EducationContext, viewer: Viewer, id: string): Promise<CourseStats> {
  managedCourse(viewer, await findCourse(ctx.pool, id), id);
  const stats = await readCourseStats(ctx.pool, id);
  return { courseId: id, ...stats, completionRate: completionRate(stats.completions, stats.enrollments) };
}
