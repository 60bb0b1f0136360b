// One probe round: every service asked at once, then, in one transaction under the round lock,
// the results stored, each service's verdict made from its recent outcomes, incidents opened
// or resolved on a change to or from unhealthy, and the hour's counts moved. Changes of
// status are logged and the gauges set once it has committed.
import { randomUUID } from 'node:crypto';
import { withTransaction } from '@azora/service-kit';
import { insertProbes, recentOutcomes, type StoredOutcome } from '../db/probes';
import { lockRound, readStates, writeStates } from '../db/states';
import { countChecks } from '../db/uptime';
import { openIncident, resolveIncident } from '../db/incidents';
import { classify, failuresInARow, HEALTH_VALUE, incidentChange } from '../domain/health';
import type { ProbeResult, ServiceState } from '../domain/records';
import { hourOf } from '../domain/views';
import type { MonitoringContext } from './context';

interface Change {
  readonly service: string;
  readonly from: ServiceState['status'] | null;
  readonly to: ServiceState;
  readonly incident: 'open' | 'resolve' | null;
}

/** When the run of failures that made a service unhealthy began: its first failed check. */
function downSince(outcomes: readonly StoredOutcome[], fallback: Date): Date {
  const failing = failuresInARow(outcomes);
  return outcomes[failing - 1]?.checkedAt ?? fallback;
}

export async function runProbeRound(ctx: MonitoringContext): Promise<ServiceState[]> {
  const checkedAt = ctx.clock.now();
  const { targets, thresholds } = ctx.settings;
  const results = await Promise.all(targets.map((target) => ctx.prober.probe(target, checkedAt)));
  const changes: Change[] = [];
  const states = await withTransaction(ctx.pool, async (tx) => {
    await lockRound(tx);
    await insertProbes(tx, results);
    const previous = await readStates(tx);
    // The window is counted in checks and bounded in time: after a pause of monitoring itself,
    // checks from before it say nothing about now.
    const windowMs = (thresholds.flapWindow + 0.5) * ctx.settings.probeIntervalMs;
    const recent = await recentOutcomes(
      tx,
      results.map((r) => r.service),
      { limit: thresholds.flapWindow, since: new Date(checkedAt.getTime() - windowMs) },
    );
    const next = results.map((result): ServiceState => {
      const verdict = classify(recent.get(result.service) ?? [], thresholds);
      const before = previous.get(result.service);
      return {
        service: result.service,
        status: verdict.status,
        since: before?.status === verdict.status ? before.since : checkedAt,
        reason: verdict.reason,
        latencyMs: result.latencyMs,
        version: result.version ?? before?.version ?? null,
        checkedAt,
      };
    });
    for (const state of next) {
      const from = previous.get(state.service)?.status ?? null;
      const incident = incidentChange(from, state.status);
      if (incident === 'open') {
        const outcomes = recent.get(state.service) ?? [];
        await openIncident(tx, {
          id: randomUUID(),
          service: state.service,
          startedAt: downSince(outcomes, checkedAt),
          cause: state.reason ?? 'not ready',
        });
      } else if (incident === 'resolve') {
        await resolveIncident(tx, state.service, checkedAt);
      }
      if (from !== state.status) changes.push({ service: state.service, from, to: state, incident });
    }
    await writeStates(tx, next);
    await countChecks(
      tx,
      next.map((s, i) => ({ service: s.service, hour: hourOf(checkedAt), ready: results[i]!.ready, status: s.status })),
    );
    return next;
  });
  record(ctx, results, states, changes);
  return states;
}

function record(
  ctx: MonitoringContext,
  results: readonly ProbeResult[],
  states: readonly ServiceState[],
  changes: readonly Change[],
): void {
  for (const result of results) {
    ctx.metrics.probes.inc({ service: result.service, result: result.ready ? 'ready' : 'failed' });
    ctx.metrics.probeLatency.set({ service: result.service }, result.latencyMs / 1000);
  }
  for (const state of states) ctx.metrics.healthStatus.set({ service: state.service }, HEALTH_VALUE[state.status]);
  for (const { service, from, to, incident } of changes) {
    if (incident === 'open') ctx.metrics.incidents.inc({ service });
    const line = { service, from, to: to.status, reason: to.reason };
    // The first verdict after a start is news only when it is bad, and then only a warning: the
    // platform may still be starting around this service.
    if (to.status === 'unhealthy' && from === null) ctx.logger.warn(line, `${service} is not up at the first check`);
    else if (to.status === 'unhealthy') ctx.logger.error(line, `${service} is down`);
    else if (from === 'unhealthy') ctx.logger.warn(line, `${service} is back up (${to.status})`);
    else if (to.status === 'degraded') ctx.logger.warn(line, `${service} is degraded`);
    else if (from !== null) ctx.logger.info(line, `${service} is healthy again`);
  }
}
