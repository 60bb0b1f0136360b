// The caller's Web Push subscriptions: register a browser (again), list them, remove one.
import { randomUUID } from 'node:crypto';
import type { PushSubscription, PushSubscriptionRequest } from '@azora/contracts';
import { deleteSubscription, listSubscriptions, upsertSubscription } from '../db/push-subscriptions';
import { pushEndpointNotAllowed, pushSubscriptionNotFound, pushUnavailable } from '../domain/errors';
import { hostOf, isAllowedPushEndpoint } from '../domain/push-endpoints';
import { toPushSubscription } from '../domain/views';
import type { Caller, NotificationContext } from './context';

export function vapidPublicKey(ctx: NotificationContext): string {
  if (!ctx.push) throw pushUnavailable();
  return ctx.push.publicKey;
}

export async function subscribe(
  ctx: NotificationContext,
  caller: Caller,
  request: PushSubscriptionRequest,
): Promise<{ subscription: PushSubscription; created: boolean }> {
  if (!ctx.push) throw pushUnavailable();
  if (!isAllowedPushEndpoint(request.endpoint, ctx.settings.pushAllowedHosts))
    throw pushEndpointNotAllowed(hostOf(request.endpoint));
  const { subscription, created } = await upsertSubscription(ctx.pool, {
    id: randomUUID(),
    userId: caller.user.id,
    endpoint: request.endpoint,
    p256dh: request.keys.p256dh,
    auth: request.keys.auth,
    expirationTime:
      request.expirationTime === undefined || request.expirationTime === null ? null : new Date(request.expirationTime),
    now: ctx.clock.now(),
  });
  if (created) ctx.logger.info({ userId: caller.user.id, host: hostOf(request.endpoint) }, 'push subscription added');
  return { subscription: toPushSubscription(subscription), created };
}

export async function subscriptionsOf(ctx: NotificationContext, caller: Caller): Promise<PushSubscription[]> {
  return (await listSubscriptions(ctx.pool, caller.user.id)).map(toPushSubscription);
}

export async function unsubscribe(ctx: NotificationContext, caller: Caller, id: string): Promise<void> {
  if (!(await deleteSubscription(ctx.pool, caller.user.id, id))) throw pushSubscriptionNotFound(id);
}
