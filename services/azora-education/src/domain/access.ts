// Who may see and change a course: drafts exist only for their instructor and admins (anyone
// else gets 404, never 403, so a draft's existence does not leak); only the owner or an admin
// changes a course; lesson content is for active enrolments, the owner and admins.
import type { AuthenticatedUser } from '@azora/service-kit';
import { courseNotDraft, courseNotFound, notCourseOwner } from './errors';
import type { CourseRecord, EnrollmentRecord } from './records';

/** The caller of a request, when it carried a valid access token. */
export type Viewer = AuthenticatedUser | undefined;

export function manages(viewer: Viewer, course: Pick<CourseRecord, 'instructorId'>): boolean {
  return viewer !== undefined && (viewer.role === 'admin' || viewer.id === course.instructorId);
}

/** The course, if the viewer may know it exists; a 404 otherwise. */
export function visibleCourse(viewer: Viewer, course: CourseRecord | null, id: string): CourseRecord {
  if (!course || (course.status !== 'published' && !manages(viewer, course))) throw courseNotFound(id);
  return course;
}

/** A course the viewer may change: visible to them (404), theirs (403). */
export function managedCourse(viewer: Viewer, course: CourseRecord | null, id: string): CourseRecord {
  const visible = visibleCourse(viewer, course, id);
  if (!manages(viewer, visible)) throw notCourseOwner(id);
  return visible;
}

/** A course whose content may still change: managed by the viewer and still a draft (409). */
export function editableCourse(viewer: Viewer, course: CourseRecord | null, id: string): CourseRecord {
  const managed = managedCourse(viewer, course, id);
  if (managed.status !== 'draft') throw courseNotDraft(id);
  return managed;
}

export function canViewContent(viewer: Viewer, course: CourseRecord, enrollment: EnrollmentRecord | null): boolean {
  return manages(viewer, course) || enrollment?.status === 'active';
}
