// The dispatcher: keeps up to `concurrency` subscriptions in delivery at once, each attempt on its
// own claim, and looks for due work whenever events are appended (the log's signal), an attempt
// ends, the earliest retry falls due, or the poll interval passes. When its store fails it backs
// off (the first retry within recoveryBaseMs, later ones up to recoveryMaxMs) and is woken as soon
// as its signal is re-established, i.e. once the store answers again.
// stop() lets in-flight attempts finish (bounded by stopTimeoutMs, then aborts them) and closes
// the signal.
import { backoffDelay } from '../domain/backoff';
import type { ListeningSignal } from '../domain/ports';
import type { NexusContext } from './context';
import type { DeliveryAttempt } from './deliver';

export interface Dispatcher {
  start(): void;
  stop(): Promise<void>;
}

export interface DispatcherDeps {
  ctx: Pick<NexusContext, 'deliveries' | 'clock' | 'logger' | 'settings'>;
  attempt: DeliveryAttempt;
  /** Its own wake-up signal (a LISTEN connection, or a NATS subscription): closed by stop(). */
  signal: ListeningSignal;
  random?: () => number;
}

export function createDispatcher({ ctx, attempt, signal, random = Math.random }: DispatcherDeps): Dispatcher {
  const { settings } = ctx;
  const log = ctx.logger.child({ component: 'dispatcher' });
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let abort = new AbortController();
  let woken = false;
  let wake: (() => void) | undefined;
  let failuresInARow = 0;

  const wakeUp = () => {
    woken = true;
    wake?.();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  function launch(subscriptionId: string): void {
    const run = attempt(subscriptionId, abort.signal)
      .then(
        (outcome) => {
          if (outcome === 'aborted')
            log.info({ subscriptionId }, 'delivery aborted by stop; it will be delivered again');
        },
        (error: unknown) => log.error({ err: error, subscriptionId }, 'delivery attempt failed unexpectedly'),
      )
      .finally(() => {
        inFlight.delete(subscriptionId);
        wakeUp(); // a slot is free, and the subscription may have more to deliver
      });
    inFlight.set(subscriptionId, run);
  }

  /** Starts what is due; returns how long to sleep when nothing wakes the loop sooner. */
  async function dispatchDue(): Promise<number> {
    const free = settings.concurrency - inFlight.size;
    if (free <= 0) return settings.pollIntervalMs;
    const { due, waitMs } = await ctx.deliveries.findDue({
      exclude: [...inFlight.keys()],
      limit: free,
      now: ctx.clock.now(),
    });
    for (const id of due) launch(id);
    if (failuresInARow > 0) log.info({ failuresInARow }, 'database reachable again; delivering');
    failuresInARow = 0;
    return waitMs === null ? settings.pollIntervalMs : Math.max(1, Math.min(waitMs, settings.pollIntervalMs));
  }

  /** After a failed look: soon for a blip, then no more often than every recoveryMaxMs. */
  function recoveryDelay(): number {
    const delay = backoffDelay(
      { failuresBefore: failuresInARow - 1, baseMs: settings.recoveryBaseMs, maxMs: settings.recoveryMaxMs },
      random,
    );
    return Math.max(1, delay);
  }

  async function run(): Promise<void> {
    const unsubscribe = signal.subscribe(wakeUp);
    try {
      while (running) {
        woken = false;
        let sleepMs: number;
        try {
          sleepMs = await dispatchDue();
        } catch (error) {
          failuresInARow += 1;
          sleepMs = recoveryDelay();
          if (failuresInARow === 1 || failuresInARow % 30 === 0)
            log.warn({ err: error, failuresInARow, retryInMs: sleepMs }, 'could not look for due deliveries; retrying');
        }
        if (running && !woken) await sleep(sleepMs);
      }
    } finally {
      unsubscribe();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      abort = new AbortController();
      loop = run();
    },
    async stop() {
      if (!running) return;
      running = false;
      wakeUp();
      await loop;
      const settled = Promise.allSettled(inFlight.values());
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), settings.stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        log.warn({ inFlight: inFlight.size }, 'deliveries still running at stop; aborting them');
        abort.abort();
        await settled;
      }
      await signal.close();
    },
  };
}
