// The delivery log for admins: jobs by status or user, one job with every attempt, and a retry
// of a failed job with a fresh budget of attempts.
import { keysetPage, type DeliveryDetail, type DeliveryPage, type DeliveryStatus } from '@azora/contracts';
import { findDelivery, listAttempts, listDeliveries, requeue } from '../db/deliveries';
import { decodeTimePosition, encodeTimePosition } from '../domain/cursors';
import { deliveryNotFailed, deliveryNotFound } from '../domain/errors';
import { toAttempt, toDelivery } from '../domain/views';
import type { NotificationContext } from './context';

const TAG = 'd';

export async function deliveryPage(
  ctx: NotificationContext,
  query: {
    cursor?: string | undefined;
    limit: number;
    status?: DeliveryStatus | undefined;
    userId?: string | undefined;
  },
): Promise<DeliveryPage> {
  const after = query.cursor ? decodeTimePosition(TAG, query.cursor) : undefined;
  const rows = await listDeliveries(ctx.pool, query, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toDelivery(r.delivery),
    (last) => encodeTimePosition(TAG, last.position),
  );
}

export async function deliveryDetail(ctx: NotificationContext, id: string): Promise<DeliveryDetail> {
  const delivery = await findDelivery(ctx.pool, id);
  if (!delivery) throw deliveryNotFound(id);
  return { ...toDelivery(delivery), attemptLog: (await listAttempts(ctx.pool, id)).map(toAttempt) };
}

export async function retryDelivery(ctx: NotificationContext, id: string): Promise<DeliveryDetail> {
  const requeued = await requeue(ctx.pool, id, ctx.clock.now());
  if (!requeued) {
    const existing = await findDelivery(ctx.pool, id);
    if (!existing) throw deliveryNotFound(id);
    throw deliveryNotFailed(id, existing.status);
  }
  ctx.signals.deliveriesQueued();
  return deliveryDetail(ctx, id);
}
