// The delivery worker: keeps up to `concurrency` deliveries in flight, claiming due jobs whenever
// a notification queues some (woken in-process after commit), a slot frees up, the next retry
// falls due or the poll interval passes (jobs queued by other instances). Claims go through
// FOR UPDATE SKIP LOCKED under a lease, so several instances never send one job at once.
// stop() lets the attempts in flight finish; an interrupted one is claimed again once its
// lease runs out.
import { claimDue, nextDueAt } from '../db/deliveries';
import type { DeliveryRecord } from '../domain/records';
import type { NotificationContext } from './context';
import type { DeliveryAttempt } from './deliver';

export interface DeliveryWorker {
  start(): void;
  stop(): Promise<void>;
  /** Looks for due jobs now (after a commit that queued some). */
  wake(): void;
  /** Claims what is due now and sends it all; resolves with how many it attempted. For tests
   * and tools: the running loop does the same on its own. */
  runOnce(): Promise<number>;
}

export function createDeliveryWorker(
  ctx: Pick<NotificationContext, 'pool' | 'clock' | 'logger' | 'settings'>,
  attempt: DeliveryAttempt,
): DeliveryWorker {
  const settings = ctx.settings.delivery;
  const log = ctx.logger.child({ component: 'delivery-worker' });
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let woken = false;
  let wakeSleeper: (() => void) | undefined;
  let failuresInARow = 0;

  const wake = () => {
    woken = true;
    wakeSleeper?.();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      }
      wakeSleeper = done;
    });

  function launch(job: DeliveryRecord): Promise<void> {
    const run = attempt(job)
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error, deliveryId: job.id }, 'delivery attempt failed unexpectedly'),
      )
      .finally(() => {
        inFlight.delete(run);
        wake(); // a slot is free
      });
    inFlight.add(run);
    return run;
  }

  async function claim(limit: number): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    return claimDue(ctx.pool, { now: ctx.clock.now(), leaseMs: settings.leaseMs, limit });
  }

  /** Starts what is due; returns how long to sleep when nothing wakes the loop sooner. */
  async function dispatch(): Promise<number> {
    const jobs = await claim(settings.concurrency - inFlight.size);
    for (const job of jobs) void launch(job);
    failuresInARow = 0;
    if (jobs.length > 0 && inFlight.size < settings.concurrency) return 0;
    const due = await nextDueAt(ctx.pool);
    const untilDue = due ? due.getTime() - ctx.clock.now().getTime() : settings.pollMs;
    return Math.max(1, Math.min(settings.pollMs, untilDue));
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      let sleepMs: number;
      try {
        sleepMs = await dispatch();
      } catch (error) {
        failuresInARow += 1;
        sleepMs = Math.min(30_000, settings.pollMs * 2 ** Math.min(failuresInARow, 5));
        if (failuresInARow === 1 || failuresInARow % 30 === 0)
          log.warn({ err: error, failuresInARow, retryInMs: sleepMs }, 'could not claim due deliveries; retrying');
      }
      if (running && !woken && sleepMs > 0) await sleep(sleepMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      log.info({ concurrency: settings.concurrency, maxAttempts: settings.maxAttempts }, 'delivery worker started');
      loop = run();
    },
    async stop() {
      if (!running) return;
      running = false;
      wake();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
    wake,
    async runOnce() {
      const jobs = await claim(settings.concurrency);
      await Promise.all(jobs.map(launch));
      return jobs.length;
    },
  };
}
