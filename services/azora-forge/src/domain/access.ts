// Who may see and manage a job: open jobs are on the public board; any other job exists only for
// its employer, admins and the people who applied to it (anyone else gets 404, so a job's
// existence does not leak). Only its employer or an admin manages a job and its applications.
import type { AuthenticatedUser } from '@azora/service-kit';
import { jobNotFound, notJobOwner } from './errors';
import type { JobRecord } from './records';

/** The caller of a request, when it carried a valid access token. */
export type Viewer = AuthenticatedUser | undefined;

export function manages(viewer: Viewer, job: Pick<JobRecord, 'employerId'>): boolean {
  return viewer !== undefined && (viewer.role === 'admin' || viewer.id === job.employerId);
}

/** The job, if the viewer may know it exists (`applied`: the viewer applied to it); a 404 otherwise. */
export function visibleJob(viewer: Viewer, job: JobRecord | null, id: string, applied = false): JobRecord {
  if (!job) throw jobNotFound(id);
  if (job.status === 'open' || manages(viewer, job)) return job;
  if (applied && job.status !== 'pending') return job;
  throw jobNotFound(id);
}

/** A job the viewer manages: visible to them (404), theirs (403). */
export function managedJob(viewer: Viewer, job: JobRecord | null, id: string): JobRecord {
  const visible = visibleJob(viewer, job, id);
  if (!manages(viewer, visible)) throw notJobOwner(id);
  return visible;
}
