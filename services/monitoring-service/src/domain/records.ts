// Monitoring's records: what a probe found, each service's current state, incidents and the
// hourly counts behind uptime. Plain data, as db/ returns it and domain/ reasons about it.
import type { ServiceHealth } from '@azora/contracts';

/** A service to probe: its catalog name and title, and where it is reached. */
export interface Target {
  readonly name: string;
  readonly title: string;
  readonly url: string;
}

/** What one probe of a service's /ready (and /health, for the version) found. */
export interface ProbeResult {
  readonly service: string;
  readonly checkedAt: Date;
  /** /ready answered 2xx. */
  readonly ready: boolean;
  readonly latencyMs: number;
  /** Why it was not ready, in words safe to show anyone; null when ready. */
  readonly reason: string | null;
  readonly version: string | null;
}

/** The last verdict on a service, and since when it holds. */
export interface ServiceState {
  readonly service: string;
  readonly status: ServiceHealth;
  readonly since: Date;
  readonly reason: string | null;
  readonly latencyMs: number;
  readonly version: string | null;
  readonly checkedAt: Date;
}

export interface IncidentRecord {
  readonly id: string;
  readonly service: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly cause: string;
}

/** One service's checks during one hour, by outcome. */
export interface HourRecord {
  readonly service: string;
  readonly hour: Date;
  readonly checks: number;
  readonly ready: number;
  readonly degraded: number;
  readonly unhealthy: number;
}
