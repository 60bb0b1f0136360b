// The background loop: a probe round every interval, the bus collected every bus interval and
// the history pruned every minute. Started once the server listens; a failed round is logged
// and the next one comes on time. stop() waits for the round in progress.
import { sleep } from '@azora/service-kit';
import { collectBusHealth } from './bus';
import type { MonitoringContext } from './context';
import { pruneHistory } from './history';
import { runProbeRound } from './probe-round';

const PRUNE_EVERY_MS = 60_000;

export interface Monitor {
  start(): void;
  stop(): Promise<void>;
}

export function createMonitor(ctx: MonitoringContext): Monitor {
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  async function attempt(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      ctx.logger.warn({ err: error }, `monitoring ${what} failed; trying again at the next interval`);
    }
  }

  async function run(): Promise<void> {
    let lastBus = -Infinity;
    let lastPrune = -Infinity;
    while (!stopping.signal.aborted) {
      const started = Date.now();
      await attempt('probe round', () => runProbeRound(ctx));
      if (started - lastBus >= ctx.settings.busIntervalMs) {
        lastBus = started;
        await attempt('bus collection', () => collectBusHealth(ctx));
      }
      if (started - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = started;
        await attempt('history pruning', () => pruneHistory(ctx));
      }
      await sleep(Math.max(0, ctx.settings.probeIntervalMs - (Date.now() - started)), stopping.signal);
    }
  }

  return {
    start() {
      loop ??= run();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
