// The storage port on PostgreSQL: weekly partitions of raw events, the roll-up queue and the
// roll-up tables in the service's schema. A batch is one transaction, tried again when it lost
// a deadlock or a lock wait to a concurrent batch holding the same events (a client's retry).
import { sleep, withTransaction, type Pool } from '@azora/service-kit';
import { ingestBusy } from '../domain/errors';
import type { AnalyticsStore, NewEvent, StoredEvent } from '../domain/ports';
import { bucketStart } from '../domain/time-buckets';
import { ingestBatch } from './ingest';
import { rollUpQueued, summarizeTimelines, takeRollerLock } from './rollups';
import { queueState } from './rollup-queue';
import { createPartitions } from './partitions';
import { exportPage } from './raw-events';
import { rebuildRollups } from './rebuild';
import * as reports from './reports';
import { summarizedUntil, trimTimelines } from './timelines';

export interface PostgresStoreOptions {
  pool: Pool;
  /** Rows per export query (the export streams page after page). */
  exportPageSize?: number;
  /** Tries of a batch that keeps losing to concurrent ones before it is answered 503. */
  attempts?: number;
}

const RETRYABLE = new Set(['40P01', '40001', '55P03']); // deadlock, serialization, lock timeout
function pgCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** A row whose week has no partition: another instance dropped it since this one looked. */
function noPartition(error: unknown): boolean {
  return pgCode(error) === '23514' && /no partition of relation/.test((error as Error).message);
}

const FUNNEL_WORK_MEM = '64MB';

const weeksOf = (events: readonly NewEvent[]) => events.map((e) => bucketStart('week', e.timestamp));

export function createPostgresStore({
  pool,
  exportPageSize = 1000,
  attempts = 5,
}: PostgresStoreOptions): AnalyticsStore {
  const partitions = createPartitions(pool);

  return {
    async ingest(events) {
      if (events.length === 0) return { stored: 0 };
      await partitions.ensure(weeksOf(events));
      for (let attempt = 1; ; attempt++) {
        try {
          return await ingestBatch(pool, events);
        } catch (error) {
          const code = pgCode(error);
          if (noPartition(error) && attempt === 1) {
            // Another instance changed the partitions since this one last looked.
            await partitions.list();
            await partitions.ensure(weeksOf(events));
            continue;
          }
          if (!code || !RETRYABLE.has(code)) throw error;
          if (attempt >= attempts) throw ingestBusy(error);
          await sleep(5 * 2 ** attempt * (0.5 + Math.random()));
        }
      }
    },

    async ingestInTransaction(tx, events) {
      if (events.length === 0) return { stored: 0 };
      await partitions.ensure(weeksOf(events));
      return ingestBatch(tx, events);
    },

    rollUp: (maxBatches, now) => withTransaction(pool, (tx) => rollUpQueued(tx, maxBatches, now)),
    pendingRollUps: () => queueState(pool),
    summarizeTimelines: (now) => withTransaction(pool, (tx) => summarizeTimelines(tx, now)),
    timelinesUntil: () => summarizedUntil(pool),

    activeUsers: (period, first, last) => reports.activeUsers(pool, period, first, last),
    eventCounts: (name, interval, from, until) => reports.eventCounts(pool, name, interval, from, until),
    funnel: (steps, windowMs, from, until) =>
      withTransaction(pool, async (tx) => {
        // Each step groups its people: with the default 4 MB a month of a popular event spills
        // those groups to disk. The planner cannot know how many people each step keeps, so it
        // may sort both sides of a join to merge them, or look people up one by one, where
        // hashing the people still in the funnel is what is needed; and it may spend longer
        // compiling the query (JIT) than the query takes.
        await tx.query(
          `SELECT set_config('work_mem', $1, true), set_config('enable_mergejoin', 'off', true),
                  set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`,
          [FUNNEL_WORK_MEM],
        );
        return reports.funnel(tx, steps, windowMs, from, until);
      }),
    retention: (firstCohort, lastWeek) => reports.retention(pool, firstCohort, lastWeek),

    async *exportEvents(range): AsyncGenerator<StoredEvent[]> {
      let after: { ts: Date; id: string } | null = null;
      for (;;) {
        const page = await exportPage(pool, range, after, exportPageSize);
        if (page.length > 0) yield page;
        const last = page[page.length - 1];
        if (!last || page.length < exportPageSize) return;
        after = { ts: last.timestamp, id: last.id };
      }
    },

    ensurePartitions: (weeks) => partitions.ensure(weeks),
    partitions: () => partitions.list(),
    async dropPartitionsBefore(cutoff) {
      const dropped = await partitions.dropBefore(cutoff);
      // The timelines keep what the raw events keep: from the oldest week left (a week whose
      // drop failed is still there, and is tried again next time).
      const [oldest] = await partitions.list();
      await withTransaction(pool, async (tx) => {
        await takeRollerLock(tx);
        await trimTimelines(tx, oldest ?? bucketStart('week', cutoff));
      });
      return dropped;
    },
    rebuildRollups: (now) => rebuildRollups(pool, now),
  };
}
