// What Analytics's use cases need from storage, as one port: raw events (written once, read by
// funnels and the export, kept in weekly partitions) and the roll-ups brought up to date from
// them by the roller (active people, event counts, retention cohorts, funnel timelines). src/db implements it on
// PostgreSQL; a column store for raw events would be another implementation of the same port.
import type { Tx } from '@azora/service-kit';

export type EventSource = 'client' | 'bus';

/** An event ready to store. `userId` is the signed-in user (or the bus event's actor). */
export interface NewEvent {
  readonly id: string;
  readonly name: string;
  readonly timestamp: Date;
  readonly source: EventSource;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly receivedAt: Date;
}

/** A stored event, with the person the reports count it for. */
export interface StoredEvent extends NewEvent {
  readonly personId: string | null;
}

export interface IngestOutcome {
  /** Events stored now; the rest were stored before (same id and timestamp). */
  readonly stored: number;
}

export interface RollUpOutcome {
  /** Stored batches brought into the roll-ups, and their events. */
  readonly batches: number;
  readonly events: number;
  /** Anonymous visitors linked to a user. */
  readonly linked: number;
  /** When each of those batches was stored. */
  readonly queuedAt: readonly Date[];
}

export type ActivePeriod = 'day' | 'week' | 'month';

export interface BucketValue {
  readonly bucket: Date;
  readonly value: number;
}

export interface RetentionCell {
  readonly cohort: Date;
  readonly week: Date;
  readonly users: number;
}

export interface ExportRange {
  readonly from: Date;
  readonly until: Date;
  readonly name: string | null;
}

export interface AnalyticsStore {
  /** Stores a batch, all or nothing, and queues it for the roll-ups; events already stored change nothing. */
  ingest(events: readonly NewEvent[]): Promise<IngestOutcome>;
  /** The same, inside a bus delivery's transaction, so its inbox record commits with the events. */
  ingestInTransaction(tx: Tx, events: readonly NewEvent[]): Promise<IngestOutcome>;
  /** Brings up to `maxBatches` queued batches into the roll-ups; null while another roller works. */
  rollUp(maxBatches: number, now: Date): Promise<RollUpOutcome | null>;
  /** Batches stored but not yet in the roll-ups, and when the oldest was stored. */
  pendingRollUps(): Promise<{ batches: number; oldest: Date | null }>;
  /**
   * Summarizes the next UTC day that is over (before `now`'s) into the funnel timelines: the day,
   * null `day` when none is left, null while another roller works.
   */
  summarizeTimelines(now: Date): Promise<{ day: Date | null } | null>;
  /** Days before this instant are in the funnel timelines (null: none yet). */
  timelinesUntil(): Promise<Date | null>;
  /** Distinct people active per bucket, for buckets from `first` through `last` (only non-zero ones). */
  activeUsers(period: ActivePeriod, first: Date, last: Date): Promise<BucketValue[]>;
  /** Events per hour or day in [from, until), of `name` or of every name (only non-zero ones). */
  eventCounts(name: string | null, interval: 'hour' | 'day', from: Date, until: Date): Promise<BucketValue[]>;
  /** People reaching each step, in order, each within `windowMs` of entering at step one in [from, until). */
  funnel(steps: readonly string[], windowMs: number, from: Date, until: Date): Promise<number[]>;
  /** Cohorts first seen in weeks `firstCohort` through `lastWeek`, and their people active each week up to `lastWeek`. */
  retention(firstCohort: Date, lastWeek: Date): Promise<RetentionCell[]>;
  /** Raw events in [from, until), oldest first, page by page. */
  exportEvents(range: ExportRange): AsyncIterable<StoredEvent[]>;
  /** Makes sure raw events of these weeks (Monday starts) can be stored. */
  ensurePartitions(weeks: readonly Date[]): Promise<void>;
  /** The weeks whose raw events are kept (Monday starts, oldest first). */
  partitions(): Promise<Date[]>;
  /** Drops the raw events of every week that ends at or before `cutoff`; the weeks dropped. */
  dropPartitionsBefore(cutoff: Date): Promise<Date[]>;
  /** Recomputes every roll-up from the raw events kept (after a bulk load or a restore). */
  rebuildRollups(now?: Date): Promise<void>;
}
