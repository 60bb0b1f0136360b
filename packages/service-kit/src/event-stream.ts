// Server-Sent Events responses, as every streaming route writes them: headers sent at once (so a
// proxy's wait for headers never runs out) and marked for proxies to pass through as they come
// (no buffering, no caching, no compression), `id:`/`event:`/`data:` frames, a comment every
// heartbeat so idle connections stay open, and one signal that ends the stream when the client
// leaves, the service stops (`deps.stopping`) or the route is done. Resuming is the client's: it
// reconnects with the id of the last frame it read (Last-Event-ID, read with `lastEventIdOf`), and
// the route sends what follows it.
//
// A slow client: `send` resolves once its frame is handed to the socket or, when the socket's
// buffer is full, once that drains, so a route that awaits each send goes at its client's pace
// and holds at most one frame beyond the buffer, however slow the client. Sends that are not
// awaited can outrun it: once more than `maxBufferedBytes` wait for the client, the next send
// cuts the connection, which frees them at once; the client then reconnects with the last id it
// read and misses nothing. Heartbeats are skipped while the buffer is full.
import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from './errors';

export interface EventFrame {
  /** The frame's position (a seq, a chunk index): what a reconnecting client sends as Last-Event-ID. */
  id?: number;
  event: string;
  /** Sent as JSON. */
  data: unknown;
}

export interface EventStreamOptions {
  /** Ends the stream when aborted: `deps.stopping`, so a stopping service need not wait for it. */
  stopping: AbortSignal;
  heartbeatMs: number;
  /** How long a client waits before reconnecting (the `retry:` field). */
  retryMs?: number;
  /** A comment sent with the opening lines, for whoever reads the stream by hand ("events after seq 41"). */
  hello?: string;
  /** Called on every heartbeat: where a route that follows something also polls it. */
  onHeartbeat?: () => void;
  /** How much may wait for the client before a send cuts the connection (see above). */
  maxBufferedBytes?: number;
}

export interface EventStream {
  /** Aborted when the stream ends: the client left, the service is stopping, `end()`, or the client was too slow. */
  readonly signal: AbortSignal;
  /** Resolves when the stream ends, as `signal` aborts. */
  readonly closed: Promise<void>;
  /** Writes one frame; resolves once the client can take more (at once when the stream has ended). */
  send(frame: EventFrame): Promise<void>;
  /** Ends the response once what was sent is flushed. */
  end(): void;
}

export const EVENT_STREAM_RETRY_MS = 2_000;
export const EVENT_STREAM_MAX_BUFFERED_BYTES = 1024 * 1024;

const LastEventIdHeader = z.object({ 'last-event-id': z.coerce.number().int().nonnegative().optional() });

/** The Last-Event-ID request header: the id of the last frame a reconnecting client read; 400 when it is not one. */
export function lastEventIdOf(req: Request): number | undefined {
  return parseInput(LastEventIdHeader, { 'last-event-id': req.get('last-event-id') }, 'headers')['last-event-id'];
}

/** One frame as text; each line of the data is a `data:` line of its own, so no data can end a frame early. */
function eventFrame({ id, event, data }: EventFrame): string {
  if (/[\r\n]/.test(event)) throw new TypeError(`An event name cannot hold a line break: ${JSON.stringify(event)}`);
  const lines = (JSON.stringify(data) ?? 'null').split(/\r\n|\r|\n/);
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\n${lines.map((line) => `data: ${line}\n`).join('')}\n`;
}

function drained(res: ServerResponse, over: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      over.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    over.addEventListener('abort', done, { once: true });
  });
}

/** Answers 200 `text/event-stream` on `res` and returns the stream to send frames on. */
export function openEventStream(res: ServerResponse, options: EventStreamOptions): EventStream {
  const { stopping, heartbeatMs, hello, onHeartbeat } = options;
  const { retryMs = EVENT_STREAM_RETRY_MS, maxBufferedBytes = EVENT_STREAM_MAX_BUFFERED_BYTES } = options;
  const over = new AbortController();
  const closed = new Promise<void>((resolve) => over.signal.addEventListener('abort', () => resolve(), { once: true }));
  let heartbeat: NodeJS.Timeout | undefined;
  // One wait for the socket to drain, shared by every send that finds the buffer full.
  let draining: Promise<void> | undefined;
  const drain = () => (draining ??= drained(res, over.signal).finally(() => (draining = undefined)));

  const finish = (close: () => void) => {
    if (over.signal.aborted) return;
    clearInterval(heartbeat);
    stopping.removeEventListener('abort', end);
    res.off('close', gone);
    over.abort();
    close();
  };
  const gone = () => finish(() => undefined);
  const end = () => finish(() => res.end());
  const cut = () => finish(() => res.destroy());

  res.on('close', gone);
  if (res.destroyed) {
    gone();
  } else {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${retryMs}\n${hello === undefined ? '' : `: ${hello}\n`}\n`);
    heartbeat = setInterval(() => {
      if (!res.writableNeedDrain) res.write(': heartbeat\n\n');
      onHeartbeat?.();
    }, heartbeatMs);
    stopping.addEventListener('abort', end, { once: true });
    if (stopping.aborted) end();
  }

  return {
    signal: over.signal,
    closed,
    async send(frame) {
      const chunk = eventFrame(frame);
      if (over.signal.aborted) return;
      if (res.writableLength > maxBufferedBytes) return cut();
      if (!res.write(chunk)) await drain();
    },
    end,
  };
}
