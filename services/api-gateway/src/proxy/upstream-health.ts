// GET /api/health: each upstream's /ready as the gateway sees it, with its circuit state.
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

export async function upstreamHealth({
  service,
  upstreams,
  breakers,
  now,
}: {
  service: string;
  upstreams: readonly Upstream[];
  breakers: ReadonlyMap<string, CircuitBreaker>;
  now: Date;
}): Promise<GatewayHealth> {
  const statuses = await Promise.all(upstreams.map((u) => readinessOf(u, breakers.get(u.name))));
  return {
    status: statuses.every((s) => s.status === 'ready') ? 'ok' : 'degraded',
    service,
    checkedAt: now.toISOString(),
    upstreams: statuses,
  };
}
