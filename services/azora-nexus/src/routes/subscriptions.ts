// HTTP for subscriptions: a service registers (idempotently) and deletes its own, and lists its
// own; the operator (monitoring) lists anyone's. Secrets are shown only on registration.
import {
  Subscription,
  SubscriptionList,
  SubscriptionListQuery,
  SubscriptionParams,
  SubscriptionRequest,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { SUBSCRIBERS } from '../domain/access';
import type { NexusContext } from '../use-cases/context';
import { listSubscriptions, subscribe, unsubscribe } from '../use-cases/subscriptions';
import { callerOf } from './caller';

const tags = ['subscriptions'];

export function subscriptionRoutes(api: Api, ctx: NexusContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/subscriptions',
      summary: "Register the caller's subscription",
      description:
        'Keyed by (subscriber, endpoint): registering again updates the topics and keeps the id, the secret and the ' +
        'delivery state. `subscriber` must be the caller (403 subscriptions.not_own). The answer carries the signing secret.',
      tags,
      access: { services: SUBSCRIBERS },
      body: SubscriptionRequest,
      responses: { 201: Subscription, 200: Subscription },
    },
    async ({ body }, req, res) => {
      const { subscription, created } = await subscribe(ctx, callerOf(req), body);
      res.status(created ? 201 : 200).json(subscription);
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/subscriptions',
      summary: 'List subscriptions, without their secrets',
      description:
        "A service sees its own; the operator (monitoring-service) anyone's, or one subscriber's with `subscriber`.",
      tags,
      access: { services: SUBSCRIBERS },
      query: SubscriptionListQuery,
      responses: { 200: SubscriptionList },
    },
    async ({ query }, req, res) => {
      res.json({ items: await listSubscriptions(ctx, callerOf(req), query.subscriber) });
    },
  );

  api.endpoint(
    {
      method: 'delete',
      path: '/subscriptions/:id',
      summary: "Delete one of the caller's subscriptions",
      description: 'Its dead letters go with it. 403 subscriptions.not_own when it belongs to another service.',
      tags,
      access: { services: SUBSCRIBERS },
      params: SubscriptionParams,
      responses: { 204: null },
    },
    async ({ params }, req, res) => {
      await unsubscribe(ctx, callerOf(req), params.id);
      res.status(204).end();
    },
  );
}
