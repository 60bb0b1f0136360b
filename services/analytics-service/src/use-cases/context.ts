// What Analytics's use cases need from the outside world, passed in explicitly.
import type { Clock, CoreDeps } from '@azora/service-kit';
import type { AnalyticsStore } from '../domain/ports';
import type { AnalyticsSettings } from '../domain/settings';
import type { AnalyticsMetrics } from '../metrics';
import type { Roller } from './rollups';

export interface AnalyticsContext {
  readonly store: AnalyticsStore;
  readonly clock: Clock;
  readonly settings: AnalyticsSettings;
  readonly metrics: AnalyticsMetrics;
  readonly logger: CoreDeps['logger'];
  /** Brings stored batches into the roll-ups (started by server.ts). */
  readonly rollups: Roller;
}
