// HTTP for the log: POST /events appends a batch (owners of event types only, each event only
// from its owner); GET /events replays it after a seq (analytics and the operator).
import { KnownPublishRequest, PublishResponse, ReplayQuery, ReplayResponse } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { LOG_READERS, PUBLISHERS } from '../domain/access';
import type { NexusContext } from '../use-cases/context';
import { publishEvents } from '../use-cases/publish';
import { replay } from '../use-cases/read-log';
import { callerOf } from './caller';

const tags = ['events'];

export function eventRoutes(api: Api, ctx: NexusContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/events',
      summary: 'Append a batch of events to the log',
      description:
        "What a service's outbox relay sends. Each envelope's data must match its type's schema (400 naming the field), " +
        'its source must be the caller (403 events.source_mismatch) and its type one the caller owns (403 events.not_owner); ' +
        'otherwise nothing of the batch is appended. Idempotent on event id: a repeated id is a duplicate answered with its seq.',
      tags,
      access: { services: PUBLISHERS },
      body: KnownPublishRequest,
      responses: { 200: PublishResponse },
    },
    async ({ body }, req, res) => {
      res.json(await publishEvents(ctx, callerOf(req), body.events));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/events',
      summary: 'Replay the log after a seq',
      description: '`next` is the `after` of the following page; null when nothing more is stored yet.',
      tags,
      access: { services: LOG_READERS },
      query: ReplayQuery,
      responses: { 200: ReplayResponse },
    },
    async ({ query }, _req, res) => {
      res.json(await replay(ctx, query));
    },
  );
}
