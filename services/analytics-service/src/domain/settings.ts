// Analytics's settings: how long raw events are kept and which timestamps a client may send.
import { DAY_MS } from './time-buckets';

export interface AnalyticsSettings {
  /** Raw events are kept this many days (whole weeks are dropped); roll-ups are kept. */
  readonly rawRetentionDays: number;
  /** A client event may be at most this old when it arrives. */
  readonly maxEventAgeDays: number;
  /** ...and at most this far ahead of the service's clock (clients' clocks drift). */
  readonly maxClockSkewSeconds: number;
  /** Weekly partitions created ahead of time. */
  readonly partitionsAheadWeeks: number;
}

export const DEFAULT_SETTINGS: AnalyticsSettings = {
  rawRetentionDays: 400,
  maxEventAgeDays: 30,
  maxClockSkewSeconds: 600,
  partitionsAheadWeeks: 4,
};

export function analyticsSettings(overrides: Partial<AnalyticsSettings> = {}): AnalyticsSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** The window an event's timestamp must fall in when it arrives at `now`. */
export function acceptedWindow(settings: AnalyticsSettings, now: Date): { earliest: Date; latest: Date } {
  const ageDays = Math.min(settings.maxEventAgeDays, settings.rawRetentionDays);
  return {
    earliest: new Date(now.getTime() - ageDays * DAY_MS),
    latest: new Date(now.getTime() + settings.maxClockSkewSeconds * 1000),
  };
}

/** Raw events before this instant are no longer kept. */
export function retentionCutoff(settings: AnalyticsSettings, now: Date): Date {
  return new Date(now.getTime() - settings.rawRetentionDays * DAY_MS);
}

/** Why a client event's timestamp is refused when it arrives at `now`, or null when it is accepted. */
export function timestampProblem(settings: AnalyticsSettings, at: Date, now: Date): string | null {
  const { earliest, latest } = acceptedWindow(settings, now);
  if (at.getTime() < earliest.getTime())
    return `older than ${Math.min(settings.maxEventAgeDays, settings.rawRetentionDays)} days: too old to be accepted`;
  if (at.getTime() > latest.getTime())
    return `more than ${settings.maxClockSkewSeconds} seconds ahead of the service's clock (${now.toISOString()})`;
  return null;
}
