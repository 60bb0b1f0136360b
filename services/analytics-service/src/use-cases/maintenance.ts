// Keeping raw storage in shape: the weekly partitions of this week and the next few exist
// before events arrive, and weeks past the retention setting are dropped. Runs at start-up
// and then periodically; one run at a time in a process (instances coordinate in SQL).
import { retentionCutoff } from '../domain/settings';
import { bucketStart, WEEK_MS } from '../domain/time-buckets';
import type { AnalyticsContext } from './context';

export interface MaintenanceRun {
  readonly ensured: Date[];
  readonly dropped: Date[];
  readonly kept: number;
}

export interface Maintenance {
  runOnce(): Promise<MaintenanceRun>;
  /** Runs now and every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createMaintenance(ctx: AnalyticsContext): Maintenance {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<MaintenanceRun> {
    const now = ctx.clock.now();
    const thisWeek = bucketStart('week', now).getTime();
    const ensured = Array.from(
      { length: ctx.settings.partitionsAheadWeeks + 1 },
      (_, k) => new Date(thisWeek + k * WEEK_MS),
    );
    await ctx.store.ensurePartitions(ensured);
    const dropped = await ctx.store.dropPartitionsBefore(retentionCutoff(ctx.settings, now));
    const kept = (await ctx.store.partitions()).length;
    ctx.metrics.partitionsDropped.inc(dropped.length);
    ctx.metrics.partitions.set(kept);
    if (dropped.length > 0)
      ctx.logger.info({ dropped: dropped.map((w) => w.toISOString()) }, 'raw events past retention dropped');
    return { ensured, dropped, kept };
  }

  function tick(): void {
    running = running
      .then(runOnce)
      .catch((error: unknown) =>
        ctx.logger.error({ err: error }, 'raw storage maintenance failed; trying again later'),
      );
  }

  return {
    runOnce: () => {
      const run = running.then(runOnce);
      running = run.catch(() => undefined);
      return run;
    },
    start(intervalMs) {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
