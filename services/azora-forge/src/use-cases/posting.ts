// Posting a job: record it as pending (with its Idempotency-Key, when the employer sent one),
// then hold its reward in escrow at Mint; the job opens once the hold is confirmed, and is removed
// (never posted) when Mint refuses it. A retried request with the same key finds the same job and
// finishes what is pending; the reconciler finishes it too, should nobody retry.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreateJobRequest } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { findJob, findJobByKey, insertPendingJob } from '../db/jobs';
import { escrowRefused, escrowUnconfirmed, idempotencyKeyReused, insufficientFunds } from '../domain/errors';
import type { EscrowOutcome } from '../domain/ports';
import type { JobRecord } from '../domain/records';
import type { Caller, ForgeContext } from './context';
import { escrowStep } from './escrow-steps';

type JobInput = z.output<typeof CreateJobRequest>;

function sameJob(job: JobRecord, input: JobInput): boolean {
  return (
    job.title === input.title &&
    job.description === input.description &&
    job.reward === input.reward &&
    job.skills.length === input.skills.length &&
    job.skills.every((skill, i) => skill === input.skills[i])
  );
}

function refusal(outcome: Extract<EscrowOutcome, { kind: 'refused' }>, required: number) {
  if (outcome.code === 'wallet.insufficient_funds') return insufficientFunds(outcome.available ?? 0, required);
  // An employer whose wallet Mint has not opened yet holds nothing.
  if (outcome.code === 'wallet.not_found') return insufficientFunds(0, required);
  return escrowRefused(outcome.code, outcome.detail);
}

/** The employer's job for this request: a new pending one, or the one its Idempotency-Key made. */
async function recordIntent(
  ctx: ForgeContext,
  caller: Caller,
  input: JobInput,
  key: string | null,
): Promise<{ job: JobRecord; created: boolean }> {
  const employerId = caller.user.id;
  return withTransaction(ctx.pool, async (tx) => {
    const replay = async () => {
      const existing = key === null ? null : await findJobByKey(tx, employerId, key);
      if (existing && !sameJob(existing, input)) throw idempotencyKeyReused();
      return existing;
    };
    const earlier = await replay();
    if (earlier) return { job: earlier, created: false };
    const id = randomUUID();
    const inserted = await insertPendingJob(tx, {
      id,
      employerId,
      ...input,
      idempotencyKey: key,
      now: ctx.clock.now(),
    });
    // Not inserted: a twin request with the same key committed first (the insert waited for it).
    const job = inserted ? await findJob(tx, id) : await replay();
    if (!job) throw new Error(`job ${id} was neither inserted nor found by its key`);
    return { job, created: inserted };
  });
}

/** Posts the job once its reward is held; `replayed` when the Idempotency-Key had already posted it. */
export async function postJob(
  ctx: ForgeContext,
  caller: Caller,
  input: JobInput,
  key: string | null,
): Promise<{ job: JobRecord; replayed: boolean }> {
  // A twin with the same key may have its hold refused and its row removed between our two
  // steps; the request then starts afresh (and is most likely refused in turn).
  for (let attempt = 1; ; attempt++) {
    const intent = await recordIntent(ctx, caller, input, key);
    if (intent.job.status !== 'pending') return { job: intent.job, replayed: !intent.created };
    const step = await escrowStep(ctx, intent.job.id, { lock: 'update', requestId: caller.requestId });
    if (step.kind === 'settled') return { job: step.job, replayed: !intent.created };
    if (step.kind === 'refused') throw refusal(step.outcome, intent.job.reward);
    if (step.kind === 'unknown') throw escrowUnconfirmed(intent.job.id, 'escrow hold');
    if (attempt >= 3) throw new Error(`job posting kept losing its row to twin requests`);
  }
}
