// GET /stream: the caller's new in-app notifications as Server-Sent Events (`id: <seq>`,
// `event: notification`, `data: <Notification>`), with a heartbeat comment that keeps idle
// connections (and the gateway's) open. It starts after the Last-Event-ID header, else after
// `?after=`, else from now on; a tab that reconnects with the last id it saw misses nothing.
import { NOTIFICATION_STREAM_EVENT, NotificationStreamQuery } from '@azora/contracts';
import { lastEventIdOf, openEventStream, type Api } from '@azora/service-kit';
import { toNotification } from '../domain/views';
import type { StreamHub } from '../use-cases/stream';
import { callerOf } from './caller';

export interface StreamOptions {
  hub: StreamHub;
  heartbeatMs: number;
  /** Aborted when the service shuts down: open streams end so the stop need not wait for them. */
  stopping: AbortSignal;
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
      const after = lastEventIdOf(req) ?? query.after;
      const { user } = callerOf(req);
      // The stream opens once following has started, so a failed start is still a problem+json.
      // `send` and `onFailure` run only after it is open: every read waits on the database.
      const follower = await hub.follow({
        userId: user.id,
        after,
        send: (notification) =>
          stream.send({ id: notification.seq, event: NOTIFICATION_STREAM_EVENT, data: toNotification(notification) }),
        onFailure: (error) => {
          req.log.warn({ err: error }, 'notification stream failed; closing it so the client resumes from its last id');
          stream.end();
        },
      });
      const stream = openEventStream(res, { stopping, heartbeatMs, hello: `notifications after ${follower.from}` });
      void stream.closed.then(() => follower.stop());
      if (!stream.signal.aborted) follower.poke();
    },
  );
}
