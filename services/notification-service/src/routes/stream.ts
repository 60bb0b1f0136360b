// GET /stream: the caller's new in-app notifications as Server-Sent Events (`id: <seq>`,
// `event: notification`, `data: <Notification>`), with a heartbeat comment that keeps idle
// connections (and the gateway's) open. It starts after the Last-Event-ID header, else after
// `?after=`, else from now on; a tab that reconnects with the last id it saw misses nothing.
import type { Response } from 'express';
import { NOTIFICATION_STREAM_EVENT, NotificationStreamHeaders, NotificationStreamQuery } from '@azora/contracts';
import { parseInput, type Api } from '@azora/service-kit';
import type { NotificationRecord } from '../domain/records';
import { toNotification } from '../domain/views';
import type { StreamHub } from '../use-cases/stream';
import { callerOf } from './caller';

export interface StreamOptions {
  hub: StreamHub;
  heartbeatMs: number;
  /** Aborted when the service shuts down: open streams end so the stop need not wait for them. */
  stopping: AbortSignal;
}

function frame(notification: NotificationRecord): string {
  return `id: ${notification.seq}\nevent: ${NOTIFICATION_STREAM_EVENT}\ndata: ${JSON.stringify(toNotification(notification))}\n\n`;
}

/** Resolves once the chunk is buffered or the client is gone: a slow reader slows its stream, not memory. */
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

export function streamRoutes(api: Api, { hub, heartbeatMs, stopping }: StreamOptions): void {
  api.endpoint(
    {
      method: 'get',
      path: '/stream',
      summary: "Follow the caller's new in-app notifications as Server-Sent Events",
      description:
        'The 200 answer is `text/event-stream`: `id: <seq>`, `event: notification`, `data: <Notification JSON>` per notification, ' +
        'and a `: heartbeat` comment every 15 s. It resumes after the `Last-Event-ID` header, else after `?after=`, else starts now. ' +
        'Only the caller’s own notifications are sent.',
      tags: ['inbox'],
      access: 'user',
      query: NotificationStreamQuery,
      headers: {
        'Last-Event-ID': { required: false, description: 'The seq of the last notification received: resume after it' },
      },
      responses: { 200: null },
    },
    async ({ query }, req, res) => {
      const headers = parseInput(NotificationStreamHeaders, { 'last-event-id': req.get('last-event-id') }, 'headers');
      const { user } = callerOf(req);
      let closed = false;
      let stopStreaming = () => {};
      res.on('close', () => {
        closed = true;
        stopStreaming();
      });
      const follower = await hub.follow({
        userId: user.id,
        after: headers['last-event-id'] ?? query.after,
        send: (notification) => (closed ? Promise.resolve() : write(res, frame(notification))),
        onFailure: (error) => {
          req.log.warn({ err: error }, 'notification stream failed; closing it so the client resumes from its last id');
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
      res.write(`retry: 2000\n: notifications after ${follower.from}\n\n`);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      const endOnShutdown = () => res.end();
      stopping.addEventListener('abort', endOnShutdown, { once: true });
      stopStreaming = () => {
        follower.stop();
        clearInterval(heartbeat);
        stopping.removeEventListener('abort', endOnShutdown);
      };
      if (stopping.aborted) res.end();
      follower.poke();
    },
  );
}
