// GET /stream: the log as Server-Sent Events. It first sends what is stored after the
// Last-Event-ID header (or ?after=), then each event as it is appended (woken by NOTIFY), with a
// heartbeat comment that keeps idle connections open and doubles as a poll. A client that
// reconnects with the last id it saw misses nothing.
import type { RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { StoredEvent } from '@azora/contracts';
import { parseInput, type Logger, type Pool } from '@azora/service-kit';
import { headSeq, readEvents } from '../db/events';
import type { EventSignal } from '../domain/ports';

const Seq = z.coerce.number().int().nonnegative();
const StreamQuery = z.object({
  after: Seq.optional(),
  types: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    ),
});
const StreamHeaders = z.object({ 'last-event-id': Seq.optional() });

const PAGE = 500;

function frame(event: StoredEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Resolves once the chunk is buffered or the client is gone: a slow reader slows the stream, not memory. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk) || res.writableEnded || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export interface StreamOptions {
  pool: Pool;
  signal: EventSignal;
  auth: RequestHandler;
  heartbeatMs: number;
  logger: Logger;
  /** Aborted when Nexus shuts down: open streams end so the stop need not wait for them. */
  stopping: AbortSignal;
}

export function streamRoutes(
  router: Router,
  { pool, signal, auth, heartbeatMs, logger, stopping }: StreamOptions,
): void {
  router.get('/stream', auth, async (req, res) => {
    const { after, types } = parseInput(StreamQuery, req.query, 'query');
    const headers = parseInput(StreamHeaders, { 'last-event-id': req.get('last-event-id') }, 'headers');
    let closed = false;
    let stopStreaming = () => {};
    res.on('close', () => {
      closed = true;
      stopStreaming();
    });
    let cursor = headers['last-event-id'] ?? after ?? (await headSeq(pool));

    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    if (closed) return;
    res.write(`retry: 2000\n: streaming events after seq ${cursor}\n\n`);

    let pumping = false;
    let again = false;
    // One reader at a time; a wake-up during a read makes it read once more.
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          let events: StoredEvent[];
          do {
            events = await readEvents(pool, { after: cursor, types, limit: PAGE });
            for (const event of events) {
              if (closed) return;
              await write(res, frame(event));
              cursor = event.seq;
            }
          } while (events.length === PAGE && !closed);
        } while (again && !closed);
      } catch (error) {
        req.log.warn({ err: error }, 'event stream failed; closing it so the client resumes from its last id');
        res.end();
      } finally {
        pumping = false;
      }
    };

    const unsubscribe = signal.subscribe(() => void pump());
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
      void pump();
    }, heartbeatMs);
    const endOnShutdown = () => res.end();
    stopping.addEventListener('abort', endOnShutdown, { once: true });
    stopStreaming = () => {
      clearInterval(heartbeat);
      unsubscribe();
      stopping.removeEventListener('abort', endOnShutdown);
      logger.debug({ cursor }, 'event stream closed');
    };
    if (stopping.aborted) res.end();
    await pump();
  });
}
