// Recovery follows the service: while an upstream's circuit is open, the gateway asks the
// service's /ready every `intervalMs` (one question at a time), and the first 200 half-opens the
// circuit. No client request is spent, or held by a slow client, to find out.
import type { Logger } from '@azora/service-kit';
import type { CircuitBreaker } from '../domain/circuit-breaker';
import type { Upstream } from './upstreams';

export interface RecoveryWatch {
  /** Starts asking, unless already asking; stops by itself once the circuit is no longer open. */
  start(): void;
  stop(): void;
}

async function isReady(upstream: Upstream, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${upstream.url}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export function watchRecovery({
  upstream,
  breaker,
  intervalMs,
  logger,
}: {
  upstream: Upstream;
  breaker: CircuitBreaker;
  intervalMs: number;
  logger: Logger;
}): RecoveryWatch {
  let timer: NodeJS.Timeout | undefined;
  // A check may take longer than the interval; it is never asked twice at once.
  const timeoutMs = Math.max(intervalMs, 1_000);

  function schedule(): void {
    timer = setTimeout(check, intervalMs);
    timer.unref();
  }

  async function check(): Promise<void> {
    if (breaker.state() !== 'open') {
      timer = undefined;
      return;
    }
    if (await isReady(upstream, timeoutMs)) {
      logger.info({ upstream: upstream.name }, `${upstream.name} reports ready: its circuit half-opens`);
      breaker.ready();
    }
    if (timer === undefined) return; // stopped meanwhile
    if (breaker.state() === 'open') schedule();
    else timer = undefined;
  }

  return {
    start() {
      if (timer === undefined) schedule();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
