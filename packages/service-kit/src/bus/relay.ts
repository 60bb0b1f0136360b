// The outbox relay: sends pending outbox rows to Nexus in position order, in batches, and marks
// them sent. It wakes as soon as a publisher of this process commits (the outbox signal), polls
// as a safety net for rows written elsewhere, backs off while Nexus or its database is down (for
// at most a second, and a new commit cuts a back-off short, so sending resumes within about a
// second of recovery), and drains what is pending when stopped. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances of a
// service never send one row concurrently.
import type { EventEnvelope } from '@azora/contracts';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { Metrics } from '../metrics';
import type { QueryResult } from 'pg';
import type { Pool } from '../db/pool';
import type { NexusClient } from './nexus-client';
import type { OutboxSignal } from './outbox-signal';
import { withSpan } from '../tracing/bridge';

export interface RelayOptions {
  pool: Pool;
  schema: string;
  source: string;
  nexus: Pick<NexusClient, 'publish'>;
  logger: Logger;
  /** Publishers of this process signal new rows here; without it the relay only polls. */
  signal?: OutboxSignal;
  metrics?: Metrics;
  batchSize?: number;
  pollIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A commit during a back-off wakes the relay, but no sooner than this after the failure. */
  wakeFloorMs?: number;
  /** How long stop() keeps sending what is pending before it gives up. */
  drainTimeoutMs?: number;
}

export interface OutboxRelay {
  start(): void;
  /** Sends everything pending now; resolves to the number of events sent. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

interface OutboxRow {
  position: number;
  id: string;
  type: string;
  subject: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
  traceparent: string | null;
}

function toEnvelope(row: OutboxRow, source: string): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    source,
    occurredAt: row.occurred_at.toISOString(),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
    data: row.data,
  };
}

export function createOutboxRelay(options: RelayOptions): OutboxRelay {
  const {
    pool,
    schema,
    source,
    nexus,
    logger,
    batchSize = 500,
    pollIntervalMs = 1_000,
    minBackoffMs = 100,
    maxBackoffMs = 1_000,
    wakeFloorMs = minBackoffMs,
    drainTimeoutMs = 5_000,
  } = options;
  const log = logger.child({ component: 'outbox-relay', schema });
  const relayed = options.metrics?.counter(
    'outbox_events_relayed_total',
    "Events sent from this service's outbox to Nexus",
  );
  const failures = options.metrics?.counter(
    'outbox_relay_failures_total',
    'Failed attempts to send an outbox batch to Nexus',
  );
  if (options.metrics) {
    const registers = [options.metrics.registry];
    const lag = new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest event not yet accepted by Nexus',
      registers,
    });
    new Gauge({
      name: 'outbox_pending_events',
      help: 'Events in the outbox not yet accepted by Nexus',
      registers,
      async collect() {
        const { rows } = await pool.query<{ pending: number; lag: number | null }>(
          `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(occurred_at))::float AS lag FROM outbox WHERE sent_at IS NULL`,
        );
        this.set(rows[0]?.pending ?? 0);
        lag.set(rows[0]?.lag ?? 0);
      },
    });
  }

  let running = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let failuresInARow = 0;
  // Set by a signal that arrives while a flush is running, so the loop goes again at once.
  let signalled = false;

  /** Sleeps `ms`. A signal (a commit in this process) ends it early, but no sooner than
   * `floorMs` after it began: a back-off still spaces out attempts against a Nexus that is down,
   * yet the next commit after it comes back is sent within that floor. stop() always ends it. */
  const sleep = (ms: number, floorMs: number) =>
    new Promise<void>((resolve) => {
      const began = Date.now();
      let timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = () => {
        if (!running) return done();
        const left = floorMs - (Date.now() - began);
        if (left <= 0) return done();
        clearTimeout(timer);
        timer = setTimeout(done, Math.min(left, ms));
      };
    });

  // Both statements of each step travel in one round trip (the simple protocol); the only
  // values spliced in are integers of our own: the batch size and the claimed positions.
  const claimBatch = `BEGIN; SELECT position, id, type, subject, request_id, data, occurred_at, traceparent FROM outbox
     WHERE sent_at IS NULL ORDER BY position LIMIT ${Math.max(1, Math.floor(batchSize))} FOR UPDATE SKIP LOCKED`;
  // Losing this mark in a crash only re-sends the batch, and Nexus is idempotent on event ids:
  // the commit need not wait for the WAL flush.
  const markSent = (positions: number[]) =>
    `SET LOCAL synchronous_commit = off;
     UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE position = ANY('{${positions.map((p) => Math.floor(p)).join(',')}}'::bigint[]);
     COMMIT`;

  async function sendBatch(): Promise<number> {
    let claimed: number[] = [];
    const client = await pool.connect();
    let open = false;
    let broken = false;
    try {
      const results = (await client.query(claimBatch)) as unknown as QueryResult<OutboxRow>[];
      open = true;
      const rows = results[1]?.rows ?? [];
      if (rows.length === 0) {
        await client.query('COMMIT');
        open = false;
        return 0;
      }
      claimed = rows.map((r) => r.position);
      // A span of its own, linked to the traces of the events it carries (a batch has many parents).
      await withSpan(
        'outbox relay',
        {
          kind: 'producer',
          links: rows.map((r) => r.traceparent ?? undefined),
          attributes: { 'azora.events': rows.length },
        },
        () => nexus.publish(rows.map((r) => toEnvelope(r, source))),
      );
      await client.query(markSent(claimed));
      open = false;
      relayed?.inc(rows.length);
      return rows.length;
    } catch (error) {
      if (open) {
        await client.query('ROLLBACK').catch(() => {
          broken = true; // the connection is gone: do not hand it back to the pool
        });
      }
      failures?.inc();
      if (claimed.length > 0) {
        await pool
          .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE position = ANY($1)`, [
            claimed,
            String((error as Error).message).slice(0, 500),
          ])
          .catch(() => undefined);
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async function flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await sendBatch();
      total += sent;
      if (sent < batchSize) return total;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        signalled = false;
        const sent = await flush();
        if (failuresInARow > 0) log.info({ sent }, 'Nexus reachable again; outbox relayed');
        failuresInARow = 0;
        if (running && !signalled) await sleep(pollIntervalMs, 0);
      } catch (error) {
        failuresInARow += 1;
        const backoff = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(failuresInARow - 1, 20));
        const delay = Math.round(backoff / 2 + Math.random() * (backoff / 2));
        if (failuresInARow === 1 || failuresInARow % 10 === 0) {
          log.warn({ err: error, failuresInARow, retryInMs: delay }, 'could not relay the outbox to Nexus; retrying');
        }
        if (running) await sleep(delay, wakeFloorMs);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribe = options.signal?.subscribe(() => {
        signalled = true;
        wake?.();
      });
      loop = run();
    },
    flush,
    async stop() {
      if (!running) return;
      running = false;
      unsubscribe?.();
      wake?.();
      await loop;
      // Drain: one bounded last attempt to send what is pending, so a clean stop leaves nothing behind.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        flush().catch((error: unknown) =>
          log.warn({ err: error }, 'outbox not drained; it will be sent on the next start'),
        ),
        new Promise((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
      ]);
      clearTimeout(timer);
    },
  };
}
