// Reading the health history: each service's status with its 24-hour uptime, the hourly
// strips, and incidents page by page; and pruning what is older than the retention.
import type { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  keysetPage,
  type IncidentListQuery,
  type IncidentPage,
  type ServiceStatus,
  type UptimeReport,
} from '@azora/contracts';
import { invalidCursor } from '@azora/service-kit/errors';
import { deleteResolvedBefore, listIncidents } from '../db/incidents';
import { deleteProbesBefore } from '../db/probes';
import { readStates } from '../db/states';
import { deleteHoursBefore, readHours } from '../db/uptime';
import { uptimePercent } from '../domain/health';
import type { HourRecord } from '../domain/records';
import { HOUR_MS, hourOf, hourlyBuckets, toIncident, toServiceStatus } from '../domain/views';
import type { MonitoringContext } from './context';

type Ctx = Pick<MonitoringContext, 'pool' | 'clock' | 'settings'>;

/** Sums of the hours from `hours` ago (the current hour being the last): per service, checks and ready. */
async function hoursSince(ctx: Ctx, hours: number) {
  const to = hourOf(ctx.clock.now());
  const from = new Date(to.getTime() - (hours - 1) * HOUR_MS);
  return { from, to, records: await readHours(ctx.pool, from) };
}

/** A service's uptime over its hours: ready checks out of all checks. */
function uptimeOver(hours: readonly HourRecord[]): number | null {
  return uptimePercent(
    hours.reduce((sum, r) => sum + r.ready, 0),
    hours.reduce((sum, r) => sum + r.checks, 0),
  );
}

export async function serviceStatuses(ctx: Ctx): Promise<ServiceStatus[]> {
  const [states, { records }] = await Promise.all([readStates(ctx.pool), hoursSince(ctx, 24)]);
  return ctx.settings.targets.map((target) => {
    const own = records.filter((r) => r.service === target.name);
    return toServiceStatus(target, states.get(target.name), uptimeOver(own));
  });
}

export async function uptimeReport(ctx: Ctx, hours: number): Promise<UptimeReport> {
  const { from, to, records } = await hoursSince(ctx, hours);
  return {
    from: from.toISOString(),
    to: new Date(to.getTime() + HOUR_MS).toISOString(),
    bucketSeconds: HOUR_MS / 1000,
    services: ctx.settings.targets.map((target) => {
      const own = records.filter((r) => r.service === target.name);
      return {
        name: target.name,
        uptimePercent: uptimeOver(own),
        buckets: hourlyBuckets(own, from, to),
      };
    }),
  };
}

function decodePosition(cursor: string): { startedAt: string; id: string } {
  const position = decodeCursor(cursor);
  const [startedAt, id] = position ?? [];
  const valid =
    typeof startedAt === 'string' &&
    typeof id === 'string' &&
    !Number.isNaN(Date.parse(startedAt)) &&
    /^[0-9a-f-]{36}$/i.test(id);
  if (!valid) throw invalidCursor();
  return { startedAt, id };
}

export async function incidents(ctx: Ctx, query: z.output<typeof IncidentListQuery>): Promise<IncidentPage> {
  const after = query.cursor === undefined ? undefined : decodePosition(query.cursor);
  const rows = await listIncidents(ctx.pool, {
    service: query.service,
    state: query.state,
    after,
    limit: query.limit + 1,
  });
  return keysetPage(rows, query.limit, toIncident, (last) => encodeCursor([last.startedAt.toISOString(), last.id]));
}

/** Deletes probes older than the retention, and hours and resolved incidents older than the history. */
export async function pruneHistory(ctx: Ctx): Promise<void> {
  const now = ctx.clock.now().getTime();
  const historyCutoff = new Date(now - ctx.settings.historyDays * 24 * HOUR_MS);
  await deleteProbesBefore(ctx.pool, new Date(now - ctx.settings.retentionHours * HOUR_MS));
  await deleteHoursBefore(ctx.pool, historyCutoff);
  await deleteResolvedBefore(ctx.pool, historyCutoff);
}
