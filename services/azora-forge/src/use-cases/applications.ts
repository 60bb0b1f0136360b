// Applications: a student applies to an open job (once, never to their own); the job's employer
// moves it through applied → shortlisted | rejected, shortlisted → hired | rejected, with one hire
// per job (hiring fills the job); every change publishes forge.application.status_changed in its
// transaction. Changes to one job's applications queue behind the job's row lock, taken first.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  keysetPage,
  type ApplicationStatus,
  type JobApplicantPage,
  type JobApplicantsQuery,
  type MyApplicationPage,
  type MyApplicationsQuery,
} from '@azora/contracts';
import { withTransaction, type AuthenticatedUser, type Tx } from '@azora/service-kit';
import {
  findApplication,
  findApplicationOf,
  insertApplication,
  listJobApplicants,
  listUserApplications,
  setApplicationStatus,
} from '../db/applications';
import { findJob, markFilled } from '../db/jobs';
import { managedJob, manages, visibleJob } from '../domain/access';
import { canBecome, needsOpenJob } from '../domain/application-status';
import { decodeTimePosition, encodeTimePosition } from '../domain/cursors';
import {
  alreadyApplied,
  applicationNotFound,
  invalidTransition,
  jobAlreadyFilled,
  jobNotOpen,
  notJobOwner,
  ownJob,
} from '../domain/errors';
import type { ApplicationRecord } from '../domain/records';
import { toJobApplicant, toMyApplication } from '../domain/views';
import type { Caller, ForgeContext } from './context';

async function announce(ctx: ForgeContext, tx: Tx, application: ApplicationRecord, caller: Caller): Promise<void> {
  await ctx.publish(
    tx,
    'forge.application.status_changed',
    { applicationId: application.id, jobId: application.jobId, userId: application.userId, status: application.status },
    { subject: application.userId, requestId: caller.requestId },
  );
}

export async function apply(
  ctx: ForgeContext,
  caller: Caller,
  jobId: string,
  coverLetter: string,
): Promise<ApplicationRecord> {
  const userId = caller.user.id;
  const application = await withTransaction(ctx.pool, async (tx) => {
    // The share lock: a hire or a close of this job waits for the application, and it for them.
    const job = visibleJob(caller.user, await findJob(tx, jobId, { lock: 'share' }), jobId);
    if (job.employerId === userId) throw ownJob(jobId);
    if (job.status !== 'open') throw jobNotOpen(jobId, job.status);
    const id = randomUUID();
    const inserted = await insertApplication(tx, { id, jobId, userId, coverLetter, now: ctx.clock.now() });
    const existing = inserted ? null : await findApplicationOf(tx, jobId, userId);
    if (existing) throw alreadyApplied(jobId, existing.id);
    const created = await findApplication(tx, id);
    if (!created) throw new Error(`application ${id} vanished inside its own transaction`);
    await announce(ctx, tx, created, caller);
    return created;
  });
  ctx.metrics.applications.inc({ status: 'applied' });
  return application;
}

/** The application, for its applicant, the job's employer and admins; 404 for anyone else. */
export async function readApplication(ctx: ForgeContext, viewer: AuthenticatedUser, id: string) {
  const application = await findApplication(ctx.pool, id);
  if (!application) throw applicationNotFound(id);
  if (application.userId === viewer.id) return application;
  const job = await findJob(ctx.pool, application.jobId);
  if (!job || !manages(viewer, job)) throw applicationNotFound(id);
  return application;
}

export async function changeStatus(
  ctx: ForgeContext,
  caller: Caller,
  id: string,
  to: Exclude<ApplicationStatus, 'applied'>,
): Promise<ApplicationRecord> {
  const { application, changed } = await withTransaction(ctx.pool, async (tx) => {
    const found = await findApplication(tx, id);
    if (!found) throw applicationNotFound(id);
    const jobRow = await findJob(tx, found.jobId, { lock: 'update' });
    // Its applicant may read it but not decide it; to anyone else it does not exist.
    if (!jobRow || (!manages(caller.user, jobRow) && found.userId !== caller.user.id)) throw applicationNotFound(id);
    if (!manages(caller.user, jobRow)) throw notJobOwner(jobRow.id);
    const job = jobRow;
    const current = await findApplication(tx, id, { lock: true });
    if (!current) throw applicationNotFound(id);
    if (current.status === to) return { application: current, changed: false };
    if (!canBecome(current.status, to)) throw invalidTransition(id, current.status, to);
    if (needsOpenJob(to) && job.status !== 'open') {
      throw job.hiredUserId ? jobAlreadyFilled(job.id) : jobNotOpen(job.id, job.status);
    }
    const now = ctx.clock.now();
    await setApplicationStatus(tx, id, to, now);
    if (to === 'hired') await markFilled(tx, job.id, { applicationId: id, userId: current.userId }, now);
    const updated = { ...current, status: to, updatedAt: now };
    await announce(ctx, tx, updated, caller);
    return { application: updated, changed: true };
  });
  if (changed) ctx.metrics.applications.inc({ status: to });
  return application;
}

export async function jobApplicants(
  ctx: ForgeContext,
  viewer: AuthenticatedUser,
  jobId: string,
  query: z.output<typeof JobApplicantsQuery>,
): Promise<JobApplicantPage> {
  const job = managedJob(viewer, await findJob(ctx.pool, jobId), jobId);
  const after = query.cursor === undefined ? undefined : decodeTimePosition('a', query.cursor);
  const rows = await listJobApplicants(ctx.pool, jobId, { status: query.status, after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toJobApplicant(r.applicant, job.skills),
    (last) => encodeTimePosition('a', last.position),
  );
}

export async function myApplications(
  ctx: ForgeContext,
  user: AuthenticatedUser,
  query: z.output<typeof MyApplicationsQuery>,
): Promise<MyApplicationPage> {
  const after = query.cursor === undefined ? undefined : decodeTimePosition('m', query.cursor);
  const rows = await listUserApplications(ctx.pool, user.id, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toMyApplication(r.application),
    (last) => encodeTimePosition('m', last.position),
  );
}
