// Hourly counts of checks per service: a round adds one check to each service's current hour;
// uptime and the strips are sums over these rows, a few dozen per service whatever the rate.
import type { ServiceHealth } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { HourRecord } from '../domain/records';

export interface HourlyCheck {
  readonly service: string;
  readonly hour: Date;
  readonly ready: boolean;
  readonly status: ServiceHealth;
}

export async function countChecks(db: Queryable, checks: readonly HourlyCheck[]): Promise<void> {
  if (checks.length === 0) return;
  await db.query(
    `INSERT INTO uptime_hours AS u (service, hour, checks, ready, degraded, unhealthy)
     SELECT service, hour, 1, ready::int, (status = 'degraded')::int, (status = 'unhealthy')::int
     FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::text[]) AS c(service, hour, ready, status)
     ON CONFLICT (service, hour) DO UPDATE SET checks = u.checks + 1, ready = u.ready + excluded.ready,
       degraded = u.degraded + excluded.degraded, unhealthy = u.unhealthy + excluded.unhealthy`,
    [checks.map((c) => c.service), checks.map((c) => c.hour), checks.map((c) => c.ready), checks.map((c) => c.status)],
  );
}

/** Every service's hours from `from` (an hour start) on, oldest first. */
export async function readHours(db: Queryable, from: Date): Promise<HourRecord[]> {
  const { rows } = await db.query<HourRecord>(
    `SELECT service, hour, checks, ready, degraded, unhealthy FROM uptime_hours WHERE hour >= $1 ORDER BY service, hour`,
    [from],
  );
  return rows;
}

export async function deleteHoursBefore(db: Queryable, cutoff: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM uptime_hours WHERE hour < $1', [cutoff]);
  return rowCount ?? 0;
}
