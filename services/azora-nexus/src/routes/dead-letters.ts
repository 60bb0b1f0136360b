// HTTP for dead letters: a subscriber lists and retries its own, the operator (monitoring)
// anyone's. A retry answers 200 when the endpoint accepts the event, 502 when it refuses again.
import { DeadLetter, DeadLetterListQuery, DeadLetterPage, DeadLetterParams } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { SUBSCRIBERS } from '../domain/access';
import type { NexusContext } from '../use-cases/context';
import { listDeadLetters, retryDeadLetter } from '../use-cases/dead-letters';
import { callerOf } from './caller';

const tags = ['dead letters'];

export function deadLetterRoutes(api: Api, ctx: NexusContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/dead-letters',
      summary: 'List the events delivery gave up on, oldest first',
      description:
        "A service sees its own; the operator (monitoring-service) anyone's, or one subscriber's with `subscriber`.",
      tags,
      access: { services: SUBSCRIBERS },
      query: DeadLetterListQuery,
      responses: { 200: DeadLetterPage },
    },
    async ({ query }, req, res) => {
      res.json(await listDeadLetters(ctx, callerOf(req), query));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/dead-letters/:id/retry',
      summary: 'Deliver one dead letter again, now',
      description:
        'Delivered alone and signed like any delivery, out of order. 502 dead_letters.delivery_failed (with the dead letter) ' +
        "when the endpoint refuses again; 409 when already delivered or being retried; 403 for another subscriber's.",
      tags,
      access: { services: SUBSCRIBERS },
      params: DeadLetterParams,
      responses: { 200: DeadLetter },
    },
    async ({ params }, req, res) => {
      res.json(await retryDeadLetter(ctx, callerOf(req), params.id));
    },
  );
}
