// HTTP for Web Push: the VAPID public key browsers subscribe with, and the caller's subscriptions.
import {
  PushPublicKey,
  PushSubscription,
  PushSubscriptionList,
  PushSubscriptionParams,
  PushSubscriptionRequest,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { NotificationContext } from '../use-cases/context';
import { subscribe, subscriptionsOf, unsubscribe, vapidPublicKey } from '../use-cases/push-subscriptions';
import { callerOf } from './caller';

const tags = ['push'];

export function pushRoutes(api: Api, ctx: NotificationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/push/public-key',
      summary: 'The VAPID public key',
      description: 'Pass it as `applicationServerKey` to `pushManager.subscribe()`.',
      tags,
      access: 'public',
      responses: { 200: PushPublicKey },
    },
    (_input, _req, res) => {
      res.json({ publicKey: vapidPublicKey(ctx) });
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/push-subscriptions',
      summary: "Register a browser's push subscription",
      description:
        'The body is `PushSubscription.toJSON()`. 201 for a new endpoint; 200 when it was known (its keys are refreshed and it now belongs to the caller). The endpoint must be one of the push services of PUSH_ALLOWED_HOSTS.',
      tags,
      access: 'user',
      body: PushSubscriptionRequest,
      responses: { 200: PushSubscription, 201: PushSubscription },
    },
    async ({ body }, req, res) => {
      const { subscription, created } = await subscribe(ctx, callerOf(req), body);
      res.status(created ? 201 : 200).json(subscription);
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/push-subscriptions',
      summary: "The caller's push subscriptions",
      tags,
      access: 'user',
      responses: { 200: PushSubscriptionList },
    },
    async (_input, req, res) => {
      res.json({ items: await subscriptionsOf(ctx, callerOf(req)) });
    },
  );

  api.endpoint(
    {
      method: 'delete',
      path: '/push-subscriptions/:id',
      summary: 'Remove one of the caller’s push subscriptions',
      tags,
      access: 'user',
      params: PushSubscriptionParams,
      responses: { 204: null },
    },
    async ({ params }, req, res) => {
      await unsubscribe(ctx, callerOf(req), params.id);
      res.status(204).end();
    },
  );
}
