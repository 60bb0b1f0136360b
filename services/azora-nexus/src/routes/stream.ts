// GET /stream: the log as Server-Sent Events (`id: <seq>`, `event: <type>`, `data: <StoredEvent>`).
// It first sends what is stored after the Last-Event-ID header (or ?after=), then each event as
// it is appended, with a heartbeat comment that keeps idle connections open and doubles as a
// poll. A client that reconnects with the last id it saw misses nothing.
import { StreamQuery } from '@azora/contracts';
import { lastEventIdOf, openEventStream, type Api } from '@azora/service-kit';
import { LOG_READERS } from '../domain/access';
import type { NexusContext } from '../use-cases/context';
import { followLog } from '../use-cases/read-log';

export interface StreamOptions {
  heartbeatMs: number;
  /** Aborted when Nexus shuts down: open streams end so the stop need not wait for them. */
  stopping: AbortSignal;
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
      // The stream opens once following has started, so a log that cannot be read is still a
      // problem+json. `send` and `onFailure` run only after it is open: every read waits on the log.
      const follower = await followLog(ctx, {
        after: lastEventIdOf(req) ?? query.after,
        types: query.types,
        send: (event) => stream.send({ id: event.seq, event: event.type, data: event }),
        onFailure: (error) => {
          req.log.warn({ err: error }, 'event stream failed; closing it so the client resumes from its last id');
          stream.end();
        },
      });
      const stream = openEventStream(res, {
        stopping,
        heartbeatMs,
        hello: `streaming events after seq ${follower.from}`,
        onHeartbeat: follower.poke,
      });
      void stream.closed.then(() => {
        follower.stop();
        req.log.debug('event stream closed');
      });
      if (!stream.signal.aborted) follower.poke();
    },
  );
}
