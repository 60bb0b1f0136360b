// What monitoring's answers show: records mapped to the contracts' shapes, field by field.
import type { Incident, ServiceStatus, UptimeBucket } from '@azora/contracts';
import { uptimePercent, worstOfHour } from './health';
import type { HourRecord, IncidentRecord, ServiceState, Target } from './records';

export function toServiceStatus(target: Target, state: ServiceState | undefined, uptime: number | null): ServiceStatus {
  return {
    name: target.name,
    title: target.title,
    url: target.url,
    status: state?.status ?? 'unhealthy',
    latencyMs: state ? state.latencyMs : null,
    checkedAt: state ? state.checkedAt.toISOString() : null,
    version: state?.version ?? null,
    uptimePercent24h: uptime,
    since: state ? state.since.toISOString() : null,
    reason: state ? state.reason : 'not checked yet',
  };
}

export function toIncident(record: IncidentRecord): Incident {
  return {
    id: record.id,
    service: record.service,
    state: record.endedAt ? 'resolved' : 'open',
    startedAt: record.startedAt.toISOString(),
    endedAt: record.endedAt ? record.endedAt.toISOString() : null,
    durationSeconds: record.endedAt
      ? Math.max(0, Math.round((record.endedAt.getTime() - record.startedAt.getTime()) / 1000))
      : null,
    cause: record.cause,
  };
}

export const HOUR_MS = 3_600_000;

/** The start of the UTC hour `at` falls in. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** One bucket per hour from `from` (an hour start) through `to`'s hour, gaps as empty buckets. */
export function hourlyBuckets(records: readonly HourRecord[], from: Date, to: Date): UptimeBucket[] {
  const byHour = new Map(records.map((r) => [r.hour.getTime(), r]));
  const buckets: UptimeBucket[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += HOUR_MS) {
    const r = byHour.get(t);
    const checks = r?.checks ?? 0;
    buckets.push({
      from: new Date(t).toISOString(),
      checks,
      uptimePercent: uptimePercent(r?.ready ?? 0, checks),
      status: r ? worstOfHour(r) : null,
    });
  }
  return buckets;
}
