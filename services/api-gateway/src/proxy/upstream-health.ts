// GET /api/health: each upstream's /ready as the gateway sees it, with its circuit state. The
// answer is reused for `cacheMs` and callers meanwhile share one round of checks, so anonymous
// traffic on this route cannot multiply into probes of every service.
import type { GatewayHealth, UpstreamStatus } from '@azora/contracts';
import type { CircuitBreaker } from '../domain/circuit-breaker';
import type { Upstream } from './upstreams';

const READY_TIMEOUT_MS = 2_000;

async function readinessOf(upstream: Upstream, breaker: CircuitBreaker | undefined): Promise<UpstreamStatus> {
  const started = performance.now();
  const base = { name: upstream.name, prefix: upstream.prefix, breaker: breaker?.state() ?? 'closed' } as const;
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(`${upstream.url}/ready`, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    if (response.ok) {
      await response.body?.cancel();
      return { ...base, status: 'ready', latencyMs: latencyMs() };
    }
    const problem = (await response.json().catch(() => ({}))) as { detail?: unknown };
    const error = typeof problem.detail === 'string' ? problem.detail : `HTTP ${response.status}`;
    return { ...base, status: 'not_ready', latencyMs: latencyMs(), error };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ...base, status: 'down', latencyMs: latencyMs(), error: cause ?? (error as Error).message };
  }
}

export type UpstreamHealth = (now: Date) => Promise<GatewayHealth>;

export function createUpstreamHealth({
  service,
  upstreams,
  breakers,
  cacheMs,
}: {
  service: string;
  upstreams: readonly Upstream[];
  breakers: ReadonlyMap<string, CircuitBreaker>;
  cacheMs: number;
}): UpstreamHealth {
  let last: { answer: Promise<GatewayHealth>; at: number } | undefined;

  async function check(now: Date): Promise<GatewayHealth> {
    const statuses = await Promise.all(upstreams.map((u) => readinessOf(u, breakers.get(u.name))));
    return {
      status: statuses.every((s) => s.status === 'ready') ? 'ok' : 'degraded',
      service,
      checkedAt: now.toISOString(),
      upstreams: statuses,
    };
  }

  return (now) => {
    // Measured from when a round started, so a round slower than cacheMs is not joined forever.
    if (last && performance.now() - last.at < cacheMs) return last.answer;
    const answer = check(now);
    last = { answer, at: performance.now() };
    return answer;
  };
}
