// Bringing the roll-ups up to date: every `intervalMs` the roller takes the stored batches from
// the queue, up to fifty per transaction, until none is left. Waiting a little between rounds
// is what makes it cheap: the batches of a busy moment are rolled up together, so a person, a
// day or a counter seen in fifty of them is written once. One roller works at a time across
// instances (the store's lock); reports lag the raw events by about the interval. Then, once a
// UTC day is over, it summarizes that day into the funnel timelines: one day per round, so a
// backlog of days never holds the queue up for long.
import { sleep, type Clock, type CoreDeps } from '@azora/service-kit';
import type { AnalyticsStore } from '../domain/ports';
import { bucketStart } from '../domain/time-buckets';
import type { AnalyticsMetrics } from '../metrics';

const ROLLUP_BATCHES_AT_ONCE = 50;

export interface Roller {
  start(intervalMs: number): void;
  /** Finishes the roll-up in progress and stops. */
  stop(): Promise<void>;
  /** Rolls up every batch stored so far and summarizes every day that is over (waiting while another roller holds the lock). */
  catchUp(): Promise<void>;
}

export interface RollerDeps {
  readonly store: AnalyticsStore;
  readonly clock: Clock;
  readonly metrics: AnalyticsMetrics;
  readonly logger: CoreDeps['logger'];
}

type Cycle = 'more' | 'done' | 'busy';

export function createRoller({ store, clock, metrics, logger }: RollerDeps): Roller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  async function cycle(): Promise<Cycle> {
    const begun = process.hrtime.bigint();
    const outcome = await store.rollUp(ROLLUP_BATCHES_AT_ONCE, clock.now());
    if (outcome === null) return 'busy';
    if (outcome.batches > 0) {
      metrics.rollupDuration.observe(Number(process.hrtime.bigint() - begun) / 1e9);
      const now = clock.now().getTime();
      for (const at of outcome.queuedAt) metrics.rollupDelay.observe(Math.max(0, now - at.getTime()) / 1000);
      if (outcome.linked > 0) metrics.linked.inc(outcome.linked);
    }
    return outcome.batches === ROLLUP_BATCHES_AT_ONCE ? 'more' : 'done';
  }

  /** Summarizes one day that is over into the funnel timelines: 'more' if one was. */
  async function summarize(): Promise<Cycle> {
    const begun = process.hrtime.bigint();
    const outcome = await store.summarizeTimelines(clock.now());
    if (outcome === null) return 'busy';
    if (!outcome.day) return 'done';
    metrics.timelineDuration.observe(Number(process.hrtime.bigint() - begun) / 1e9);
    metrics.timelineDays.inc();
    return 'more';
  }

  // Where the timelines end, as last read: while it is today, there is no day to summarize.
  let summarizedUntil: Date | null = null;
  const today = () => bucketStart('day', clock.now()).getTime();

  async function showLag(): Promise<void> {
    const { batches, oldest } = await store.pendingRollUps();
    metrics.rollupPending.set(batches);
    metrics.rollupLag.set(oldest ? Math.max(0, clock.now().getTime() - oldest.getTime()) / 1000 : 0);
    summarizedUntil = await store.timelinesUntil();
    metrics.timelineLag.set(summarizedUntil ? Math.max(0, today() - summarizedUntil.getTime()) / 1000 : 0);
  }

  async function drain(): Promise<void> {
    while ((await cycle()) === 'more');
    if (!summarizedUntil || summarizedUntil.getTime() < today()) await summarize();
    await showLag();
  }

  function tick(): void {
    if (running) return;
    running = drain()
      .catch((error: unknown) =>
        logger.error({ err: error }, 'roll-up failed; the batches stay queued for the next round'),
      )
      .finally(() => {
        running = null;
      });
  }

  return {
    start(intervalMs) {
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    async catchUp() {
      for (;;) {
        const result = await cycle();
        if (result === 'busy') await sleep(20);
        else if (result === 'done' && (await store.pendingRollUps()).batches === 0) break;
      }
      for (;;) {
        const result = await summarize();
        if (result === 'busy') await sleep(20);
        else if (result === 'done') break;
      }
      await showLag();
    },
  };
}
