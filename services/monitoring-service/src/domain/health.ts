// The health rules: what the recent probes of a service say about it. Unhealthy after
// `unhealthyAfter` failed checks in a row (at once when it has never been checked ready);
// degraded when ready but slower than `degradedLatencyMs`, or when any of the last
// `flapWindow` checks failed; healthy otherwise.
import type { ServiceHealth } from '@azora/contracts';

export interface HealthThresholds {
  readonly degradedLatencyMs: number;
  readonly unhealthyAfter: number;
  readonly flapWindow: number;
}

export interface ProbeOutcome {
  readonly ready: boolean;
  readonly latencyMs: number;
  readonly reason: string | null;
}

export interface Verdict {
  readonly status: ServiceHealth;
  readonly reason: string | null;
}

/** The value of `service_health_status`: what the platform's checks compare against. */
export const HEALTH_VALUE: Record<ServiceHealth, number> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

/** How many of the newest outcomes failed in a row. */
export function failuresInARow(newestFirst: readonly ProbeOutcome[]): number {
  const firstReady = newestFirst.findIndex((p) => p.ready);
  return firstReady === -1 ? newestFirst.length : firstReady;
}

/** The verdict on a service from its recent outcomes, newest first. */
export function classify(newestFirst: readonly ProbeOutcome[], thresholds: HealthThresholds): Verdict {
  const latest = newestFirst[0];
  if (!latest) return { status: 'unhealthy', reason: 'not checked yet' };
  const failing = failuresInARow(newestFirst);
  // Never seen ready within what is kept: down from the first failed check, not after a wait.
  if (failing >= thresholds.unhealthyAfter || failing === newestFirst.length) {
    return { status: 'unhealthy', reason: latest.reason ?? 'not ready' };
  }
  if (failing > 0) return { status: 'degraded', reason: `failing intermittently: ${latest.reason ?? 'not ready'}` };
  if (latest.latencyMs > thresholds.degradedLatencyMs) {
    return {
      status: 'degraded',
      reason: `slow: /ready took ${latest.latencyMs} ms (more than ${thresholds.degradedLatencyMs} ms)`,
    };
  }
  const window = newestFirst.slice(0, thresholds.flapWindow);
  const failed = window.filter((p) => !p.ready).length;
  if (failed > 0) {
    return {
      status: 'degraded',
      reason: `failing intermittently: ${failed} of the last ${window.length} checks failed`,
    };
  }
  return { status: 'healthy', reason: null };
}

/** What a change of status means for incidents: a service going down opens one, coming back
 * (healthy or degraded) resolves it. */
export function incidentChange(previous: ServiceHealth | null, next: ServiceHealth): 'open' | 'resolve' | null {
  const wasDown = previous === 'unhealthy';
  const isDown = next === 'unhealthy';
  if (isDown && !wasDown) return 'open';
  if (wasDown && !isDown) return 'resolve';
  return null;
}

/** Uptime as a percentage with two decimals; null without checks. */
export function uptimePercent(ready: number, checks: number): number | null {
  if (checks <= 0) return null;
  return Math.round((ready / checks) * 10_000) / 100;
}

/** The worst status seen in an hour of counts; null without checks. */
export function worstOfHour(counts: { checks: number; degraded: number; unhealthy: number }): ServiceHealth | null {
  if (counts.checks <= 0) return null;
  if (counts.unhealthy > 0) return 'unhealthy';
  if (counts.degraded > 0) return 'degraded';
  return 'healthy';
}
