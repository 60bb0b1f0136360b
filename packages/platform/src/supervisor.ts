// Keeps one process running: when it exits on its own it is started again after a back-off, each
// exit and restart reported, until it crash-loops (see restart-policy.ts) or the supervisor stops.
// What a process is (a service, the database host) is the caller's: an Incarnation.
import type { Ending } from './processes';
import { createRestartTracker, type RestartPolicy } from './restart-policy';

/** One run of the supervised process. */
export interface Incarnation {
  readonly pid: number;
  /** Resolves once it has exited and left nothing behind. */
  readonly ended: Promise<Ending>;
  lastLines(): readonly string[];
  /** Graceful: resolves once it has ended. */
  stop(): Promise<void>;
  /** At once, by force; resolves once it has ended. */
  kill(): Promise<void>;
}

export type SupervisionEvent =
  | ({ event: 'exited'; name: string; pid: number; ranMs: number; lastLines: readonly string[] } & Ending & {
        restarts: number;
        restartInMs: number;
      })
  | { event: 'restarted'; name: string; pid: number; restarts: number; ready: boolean; tookMs: number }
  | ({
      event: 'gave-up';
      name: string;
      pid: number;
      exits: number;
      windowMs: number;
      lastLines: readonly string[];
    } & Ending);

export interface SupervisorOptions {
  name: string;
  first: Incarnation;
  /**
   * Starts the next incarnation, handing it to `track` as soon as it exists (so a stop meanwhile
   * reaches it); resolves once it serves (true) or, still running, did not within its time
   * (false); rejects if it did not come up (its `ended` tells how). Starts nothing once `signal`
   * is aborted.
   */
  restart(track: (next: Incarnation) => void, signal: AbortSignal): Promise<boolean>;
  /** Awaited before each restart: a service waits for its database. */
  before?: (signal: AbortSignal) => Promise<void>;
  policy: RestartPolicy;
  report(event: SupervisionEvent): void;
  now?: () => number;
}

export type SupervisorState = 'running' | 'restarting' | 'gave up' | 'stopped';

export interface Supervisor {
  readonly name: string;
  current(): Incarnation;
  state(): SupervisorState;
  restarts(): number;
  /** Resolves once the current incarnation is up (at once while it runs). */
  whenUp(): Promise<void>;
  stop(): Promise<void>;
  /** Kills the current incarnation by force; resolves once it has ended. */
  kill(): Promise<void>;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function supervise(options: SupervisorOptions): Supervisor {
  const now = options.now ?? Date.now;
  const tracker = createRestartTracker(options.policy);
  const aborted = new AbortController();
  let current = options.first;
  let state: SupervisorState = 'running';
  let restarts = 0;
  let up: { promise: Promise<void>; resolve: () => void } | undefined;

  const markDown = () => {
    if (up) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    up = { promise, resolve };
  };
  const markUp = () => {
    up?.resolve();
    up = undefined;
  };

  /** An incarnation that never ran: the restart failed before it started a process. */
  const neverStarted = (error: unknown): Incarnation => ({
    pid: -1,
    ended: Promise.resolve({ code: null, signal: null }),
    lastLines: () => [error instanceof Error ? error.message : String(error)],
    stop: () => Promise.resolve(),
    kill: () => Promise.resolve(),
  });

  /** Resolves with when the new incarnation started, or undefined once the supervisor stops. */
  async function restartOnce(previous: Incarnation): Promise<number | undefined> {
    const waitedFrom = now();
    await options.before?.(aborted.signal);
    if (aborted.signal.aborted) return undefined;
    const startedAt = now();
    restarts += 1;
    let ready: boolean;
    try {
      ready = await options.restart((next) => (current = next), aborted.signal);
    } catch (error) {
      // A start that failed shows in the `ended` of what it started: the loop reports it.
      if (current === previous && !aborted.signal.aborted) current = neverStarted(error);
      return startedAt;
    }
    if (aborted.signal.aborted) return undefined;
    state = 'running';
    markUp();
    options.report({
      event: 'restarted',
      name: options.name,
      pid: current.pid,
      restarts,
      ready,
      tookMs: now() - waitedFrom,
    });
    return startedAt;
  }

  async function watch(): Promise<void> {
    let startedAt: number | undefined = now();
    while (startedAt !== undefined) {
      const incarnation = current;
      const ending = await incarnation.ended;
      if (aborted.signal.aborted) return;
      markDown();
      state = 'restarting';
      const ranMs = now() - startedAt;
      const decision = tracker.onExit(now(), ranMs);
      const common = { name: options.name, pid: incarnation.pid, lastLines: incarnation.lastLines(), ...ending };
      if (decision.action === 'give-up') {
        state = 'gave up';
        options.report({ event: 'gave-up', ...common, exits: decision.exits, windowMs: decision.windowMs });
        return;
      }
      options.report({ event: 'exited', ...common, ranMs, restarts, restartInMs: decision.delayMs });
      await abortableDelay(decision.delayMs, aborted.signal);
      if (aborted.signal.aborted) return;
      startedAt = await restartOnce(incarnation);
    }
  }

  const watching = watch();
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    current: () => current,
    state: () => state,
    restarts: () => restarts,
    whenUp: () => up?.promise ?? Promise.resolve(),
    stop() {
      stopping ??= (async () => {
        aborted.abort();
        await current.stop();
        // A restart in flight may have started one more after the line above: stop that too.
        await watching;
        await current.stop();
        state = 'stopped';
      })();
      return stopping;
    },
    async kill() {
      aborted.abort();
      await current.kill();
      // A restart in flight may have started one more meanwhile.
      await watching;
      await current.kill();
      state = 'stopped';
    },
  };
}
