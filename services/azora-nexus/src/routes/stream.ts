// GET /stream: the log as Server-Sent Events (`id: <seq>`, `event: <type>`, `data: <StoredEvent>`).
// It first sends what is stored after the Last-Event-ID header (or ?after=), then each event as
// it is appended, with a heartbeat comment that keeps idle connections open and doubles as a
// poll. A client that reconnects with the last id it saw misses nothing.
import type { Response } from 'express';
import { StreamHeaders, StreamQuery, type StoredEvent } from '@azora/contracts';
import { parseInput, type Api } from '@azora/service-kit';
import { LOG_READERS } from '../domain/access';
import type { NexusContext } from '../use-cases/context';
import { followLog } from '../use-cases/read-log';

export interface StreamOptions {
  heartbeatMs: number;
  /** Aborted when Nexus shuts down: open streams end so the stop need not wait for them. */
  stopping: AbortSignal;
}

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

export function streamRoutes(api: Api, ctx: NexusContext, { heartbeatMs, stopping }: StreamOptions): void {
  api.endpoint(
    {
      method: 'get',
      path: '/stream',
      summary: 'Follow the log as Server-Sent Events',
      description:
        'The 200 answer is `text/event-stream`: one message per event, `id: <seq>`, `event: <type>`, ' +
        '`data: <StoredEvent JSON>`, and a `: heartbeat` comment every 15 s. It starts after the `Last-Event-ID` ' +
        'header, else after `?after=`, else at the current end of the log; `?types=` filters by topic patterns.',
      tags: ['events'],
      access: { services: LOG_READERS },
      query: StreamQuery,
      headers: {
        'Last-Event-ID': { required: false, description: 'The seq of the last event received: resume after it' },
      },
      responses: { 200: null },
    },
    async ({ query }, req, res) => {
      const headers = parseInput(StreamHeaders, { 'last-event-id': req.get('last-event-id') }, 'headers');
      let closed = false;
      let stopStreaming = () => {};
      res.on('close', () => {
        closed = true;
        stopStreaming();
      });
      const follower = await followLog(ctx, {
        after: headers['last-event-id'] ?? query.after,
        types: query.types,
        send: (event) => (closed ? Promise.resolve() : write(res, frame(event))),
        onFailure: (error) => {
          req.log.warn({ err: error }, 'event stream failed; closing it so the client resumes from its last id');
          res.end();
        },
      });
      if (closed) {
        follower.stop();
        return;
      }
      res.status(200).set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      res.write(`retry: 2000\n: streaming events after seq ${follower.from}\n\n`);
      const heartbeat = setInterval(() => {
        res.write(': heartbeat\n\n');
        follower.poke();
      }, heartbeatMs);
      const endOnShutdown = () => res.end();
      stopping.addEventListener('abort', endOnShutdown, { once: true });
      stopStreaming = () => {
        follower.stop();
        clearInterval(heartbeat);
        stopping.removeEventListener('abort', endOnShutdown);
        req.log.debug('event stream closed');
      };
      if (stopping.aborted) res.end();
      follower.poke();
    },
  );
}
