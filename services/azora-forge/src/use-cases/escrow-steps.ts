// The escrow half of every money movement of a job. Each step locks the job's row, makes Mint's
// idempotent call for the state the row records, and commits the outcome with its event in the
// same transaction; so a crash between Mint's answer and the commit leaves the row as it was, and
// the step is simply made again (by a retried request or the reconciler) with the same reference.
// Requests wait for the row lock; the reconciler skips rows someone else is working on.
import { withTransaction, type Tx } from '@azora/service-kit';
import { findVerification } from '../db/employers';
import { deleteJob, findJob, markOpen, markSettled, type JobLock } from '../db/jobs';
import { escrowReference, holdRequest } from '../domain/escrow';
import type { EscrowOutcome } from '../domain/ports';
import type { JobRecord } from '../domain/records';
import type { ForgeContext } from './context';

export type StepResult =
  /** The job's row records no pending escrow call (any more): here it is. */
  | { kind: 'settled'; job: JobRecord }
  /** Mint refused the call for good (a pending job is then removed: it was never posted). */
  | { kind: 'refused'; job: JobRecord; outcome: Extract<EscrowOutcome, { kind: 'refused' }> }
  /** Mint's answer is unknown: the row is unchanged, and the step is made again later. */
  | { kind: 'unknown'; job: JobRecord }
  /** No such row, or (for the reconciler) someone else holds it. */
  | { kind: 'absent' };

async function reload(tx: Tx, id: string): Promise<JobRecord> {
  const job = await findJob(tx, id);
  if (!job) throw new Error(`job ${id} vanished inside its own transaction`);
  return job;
}

async function openJob(ctx: ForgeContext, tx: Tx, job: JobRecord, requestId?: string): Promise<JobRecord> {
  await markOpen(tx, job.id, ctx.clock.now());
  await ctx.publish(
    tx,
    'forge.job.posted',
    { jobId: job.id, employerId: job.employerId, skills: job.skills, reward: job.reward },
    { subject: job.employerId, ...(requestId ? { requestId } : {}) },
  );
  return reload(tx, job.id);
}

async function completeJob(ctx: ForgeContext, tx: Tx, job: JobRecord, requestId?: string): Promise<JobRecord> {
  await markSettled(tx, job.id, 'completed', ctx.clock.now());
  // Read now, at completion: Mint pays the bonus only for employers verified when the job completed.
  const employerVerified = (await findVerification(tx, job.employerId))?.verified ?? false;
  await ctx.publish(
    tx,
    'forge.job.completed',
    {
      jobId: job.id,
      workerId: job.hiredUserId as string,
      reward: job.reward,
      employerId: job.employerId,
      employerVerified,
    },
    { subject: job.hiredUserId as string, ...(requestId ? { requestId } : {}) },
  );
  return reload(tx, job.id);
}

/** Makes the escrow call the job's status asks for (hold, release or refund) and records its outcome. */
export async function escrowStep(
  ctx: ForgeContext,
  jobId: string,
  { lock, requestId }: { lock: Extract<JobLock, 'update' | 'skip'>; requestId?: string | undefined },
): Promise<StepResult> {
  const { step, settled } = await withTransaction(ctx.pool, (tx) => stepInTransaction(ctx, tx, jobId, lock, requestId));
  // Counted once committed: a rolled-back step changed nothing.
  if (settled === 'hold') ctx.metrics.jobsPosted.inc();
  if (settled === 'release') ctx.metrics.jobsCompleted.inc();
  if (settled === 'refund') ctx.metrics.jobsClosed.inc();
  return step;
}

type Operation = 'hold' | 'release' | 'refund';

async function stepInTransaction(
  ctx: ForgeContext,
  tx: Tx,
  jobId: string,
  lock: JobLock,
  requestId: string | undefined,
): Promise<{ step: StepResult; settled?: Operation }> {
  const job = await findJob(tx, jobId, { lock });
  if (!job) return { step: { kind: 'absent' } };
  const reference = escrowReference(job.id);
  let outcome: EscrowOutcome;
  let operation: Operation;
  if (job.status === 'pending') {
    operation = 'hold';
    outcome = await ctx.escrow.hold(holdRequest(job));
  } else if (job.status === 'completing') {
    operation = 'release';
    outcome = await ctx.escrow.release(reference, job.hiredUserId as string);
  } else if (job.status === 'closing') {
    operation = 'refund';
    outcome = await ctx.escrow.refund(reference);
  } else {
    return { step: { kind: 'settled', job } };
  }
  ctx.metrics.escrowCalls.inc({ operation, outcome: outcome.kind });
  if (outcome.kind === 'unknown') {
    ctx.logger.warn({ jobId, operation, reason: outcome.reason }, 'escrow call unconfirmed; it will be made again');
    return { step: { kind: 'unknown', job } };
  }
  if (outcome.kind === 'refused') {
    if (operation === 'hold') await deleteJob(tx, job.id);
    else ctx.logger.error({ jobId, operation, outcome }, 'Mint refused to settle a job escrow: an operator must look');
    return { step: { kind: 'refused', job, outcome } };
  }
  let settled: JobRecord;
  if (operation === 'hold') settled = await openJob(ctx, tx, job, requestId);
  else if (operation === 'release') settled = await completeJob(ctx, tx, job, requestId);
  else {
    await markSettled(tx, job.id, 'closed', ctx.clock.now());
    settled = await reload(tx, job.id);
  }
  return { step: { kind: 'settled', job: settled }, settled: operation };
}
