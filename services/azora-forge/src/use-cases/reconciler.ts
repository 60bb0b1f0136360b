// The reconciler: finishes escrow calls whose outcome no request recorded (a crash, a timeout,
// Mint down, a client that gave up). On start, then every interval, it takes jobs still pending,
// completing or closing that nobody touched for a while and makes their escrow step again: Mint's
// calls are idempotent by reference, so a repeated step pays nobody twice, and rows a request is
// working on are skipped (their lock is held).
import { sleep } from '@azora/service-kit';
import { unsettledJobs } from '../db/jobs';
import type { ForgeContext } from './context';
import { escrowStep } from './escrow-steps';

export interface ReconcilerSettings {
  intervalMs: number;
  /** How long a job must have been left alone before the reconciler takes it. */
  minAgeMs: number;
  batch: number;
}

export interface Reconciler {
  /** One pass; answers how many jobs it looked at. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createReconciler(ctx: ForgeContext, settings: ReconcilerSettings): Reconciler {
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  async function runOnce(): Promise<number> {
    const before = new Date(ctx.clock.now().getTime() - settings.minAgeMs);
    const due = await unsettledJobs(ctx.pool, { before, limit: settings.batch });
    for (const { id, status } of due) {
      if (stopping.signal.aborted) break;
      try {
        const step = await escrowStep(ctx, id, { lock: 'skip' });
        if (step.kind === 'settled' || step.kind === 'refused')
          ctx.logger.info({ jobId: id, was: status, outcome: step.kind }, 'reconciled a job escrow');
      } catch (error) {
        ctx.logger.error({ err: error, jobId: id }, 'reconciling a job escrow failed; it is tried again later');
      }
    }
    return due.length;
  }

  return {
    runOnce,
    start() {
      loop ??= (async () => {
        while (!stopping.signal.aborted) {
          await runOnce().catch((error: unknown) =>
            ctx.logger.warn({ err: error }, 'escrow reconciliation pass failed'),
          );
          await sleep(settings.intervalMs, stopping.signal);
        }
      })();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
