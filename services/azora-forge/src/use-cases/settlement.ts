// Completing and closing a job: the employer's intent is committed first (completing: release
// the reward to the hired worker; closing: refund it), then the escrow step makes Mint's call and
// records its outcome. Repeating either request resumes an unfinished settlement and, once it is
// finished, answers the job as it is: nothing is paid twice and no event is published twice.
import { withTransaction } from '@azora/service-kit';
import { findJob, markSettling } from '../db/jobs';
import { managedJob } from '../domain/access';
import { escrowUnconfirmed, jobAlreadyFilled, jobNotFilled, jobNotOpen } from '../domain/errors';
import type { JobRecord } from '../domain/records';
import type { Caller, ForgeContext } from './context';
import { escrowStep } from './escrow-steps';

type Settlement = 'completing' | 'closing';

/** Whether the job may start (or is already in) this settlement; throws the reason it may not. */
function settlementState(job: JobRecord, wanted: Settlement): 'start' | 'resume' | 'done' {
  const done = wanted === 'completing' ? 'completed' : 'closed';
  if (job.status === done) return 'done';
  if (job.status === wanted) return 'resume';
  if (wanted === 'completing') {
    if (job.status === 'filled') return 'start';
    if (job.status === 'open') throw jobNotFilled(job.id);
    throw jobNotOpen(job.id, job.status);
  }
  if (job.status === 'open') return 'start';
  if (job.status === 'filled' || job.status === 'completing') throw jobAlreadyFilled(job.id);
  throw jobNotOpen(job.id, job.status);
}

async function settle(ctx: ForgeContext, caller: Caller, id: string, wanted: Settlement): Promise<JobRecord> {
  const job = await withTransaction(ctx.pool, async (tx) => {
    const current = managedJob(caller.user, await findJob(tx, id, { lock: 'update' }), id);
    const state = settlementState(current, wanted);
    if (state !== 'start') return current;
    await markSettling(tx, id, wanted, ctx.clock.now());
    return { ...current, status: wanted };
  });
  if (job.status !== wanted) return job;
  const step = await escrowStep(ctx, id, { lock: 'update', requestId: caller.requestId });
  if (step.kind === 'settled') return step.job;
  if (step.kind === 'unknown') throw escrowUnconfirmed(id, wanted === 'completing' ? 'release' : 'refund');
  // Mint refused to settle a hold Forge made: logged for an operator; the job stays as it is.
  throw new Error(`Mint refused the ${wanted === 'completing' ? 'release' : 'refund'} of job ${id}`);
}

/** The employer, after a hire: pays the reward to the worker and publishes forge.job.completed. */
export const completeJob = (ctx: ForgeContext, caller: Caller, id: string) => settle(ctx, caller, id, 'completing');

/** The employer withdraws an open job: its reward goes back to their wallet. */
export const closeJob = (ctx: ForgeContext, caller: Caller, id: string) => settle(ctx, caller, id, 'closing');
