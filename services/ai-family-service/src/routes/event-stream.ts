// A Server-Sent Events response: headers sent at once (so the gateway's wait for headers never
// runs out), frames written with back-pressure (a slow reader slows its own stream, not memory),
// a comment every heartbeat so idle proxies keep it open, and an AbortSignal that fires when the
// client goes away or the service shuts down. The reply being followed never depends on it.
import type { Response } from 'express';

export interface EventStream {
  /** Aborted when the client disconnects or the service stops. */
  readonly signal: AbortSignal;
  send(event: string, data: unknown, id?: number): Promise<void>;
  end(): void;
}

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

export function openEventStream(
  res: Response,
  { stopping, heartbeatMs, status = 200 }: { stopping: AbortSignal; heartbeatMs: number; status?: number },
): EventStream {
  const gone = new AbortController();
  const signal = AbortSignal.any([gone.signal, stopping]);
  res.status(status).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => {
    if (!res.writableEnded) res.write(': heartbeat\n\n');
  }, heartbeatMs);
  const end = () => {
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  };
  res.on('close', () => {
    clearInterval(heartbeat);
    gone.abort();
  });
  signal.addEventListener('abort', end, { once: true });
  return {
    signal,
    async send(event, data, id) {
      if (res.writableEnded || res.destroyed) return;
      const idLine = id === undefined ? '' : `id: ${id}\n`;
      await write(res, `${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end,
  };
}
