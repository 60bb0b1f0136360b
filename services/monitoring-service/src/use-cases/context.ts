// What Monitoring's use cases need from the outside world, passed in explicitly: the database,
// the clock, the probes and the bus's sources behind interfaces, and the settings.
import type { BusHealth } from '@azora/contracts';
import type { Clock, CoreDeps, Pool } from '@azora/service-kit';
import type { MonitoringSettings } from '../config';
import type { ProbeResult, Target } from '../domain/records';
import type { MonitoringMetrics } from '../metrics';

/** Asks one service whether it is ready (and its version). Never rejects: a failure is a result. */
export interface Prober {
  probe(target: Target, checkedAt: Date): Promise<ProbeResult>;
}

/** Where the bus's figures come from: each service's /metrics and Nexus's dead letters. */
export interface BusSources {
  /** The Prometheus text of a service's /metrics; rejects when it cannot be read. */
  metricsOf(target: Target): Promise<string>;
  /** Dead letters not delivered since, up to `max`; null when Nexus cannot be asked (no credentials). */
  deadLetters(nexus: Target, max: number): Promise<{ subscriber: string }[] | null>;
}

/** The last bus collection, kept in memory: it is cheap to collect again after a restart. */
export interface BusBoard {
  get(): BusHealth;
  set(health: BusHealth): void;
}

export interface MonitoringContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: CoreDeps['logger'];
  readonly metrics: MonitoringMetrics;
  readonly settings: MonitoringSettings;
  readonly prober: Prober;
  readonly busSources: BusSources;
  readonly bus: BusBoard;
}

export function createBusBoard(): BusBoard {
  let current: BusHealth = { checkedAt: null, nexus: 'unknown', outbox: [], subscriptions: [], deadLetters: null };
  return {
    get: () => current,
    set: (health) => {
      current = health;
    },
  };
}
