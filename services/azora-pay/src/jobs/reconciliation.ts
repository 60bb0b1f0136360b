// The reconciliation loop: once at start-up, then every interval until the service stops.
import { sleep } from '@azora/service-kit';
import type { PayContext } from '../use-cases/context';
import { reconcileOnce, type ReconcileSettings } from '../use-cases/reconcile';

export function startReconciliation(
  ctx: PayContext,
  settings: ReconcileSettings & { intervalMs: number },
  stopping: AbortSignal,
): Promise<void> {
  return (async () => {
    while (!stopping.aborted) {
      try {
        const report = await reconcileOnce(ctx, settings);
        ctx.metrics.reconciliationRuns.inc({ outcome: 'ok' });
        if (report.checked > 0) ctx.logger.info(report, 'reconciliation run');
      } catch (error) {
        ctx.metrics.reconciliationRuns.inc({ outcome: 'error' });
        ctx.logger.warn({ err: error }, 'reconciliation run failed; trying again at the next interval');
      }
      await sleep(settings.intervalMs, stopping);
    }
  })();
}
