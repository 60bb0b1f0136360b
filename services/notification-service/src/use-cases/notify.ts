// Turning a notice into a notification: the user's number, their preferences, the rendered
// templates, the inbox row, and a delivery job per enabled channel, all in the transaction of
// the event that caused it (the consumer's, with its inbox record), so a redelivered event
// notifies nobody twice. `notification.delivered` for the inbox is published in it too.
import { randomUUID } from 'node:crypto';
import { afterCommit, type Tx } from '@azora/service-kit';
import { insertDeliveries, type NewDelivery } from '../db/deliveries';
import { insertNotification } from '../db/notifications';
import { readSwitches } from '../db/preferences';
import { hasSubscription } from '../db/push-subscriptions';
import { takeNextSeq } from '../db/recipients';
import type { NoticeIntent } from '../domain/notices';
import { settingsFor } from '../domain/preferences';
import { renderNotice } from '../domain/templates';
import type { NotificationContext } from './context';

export interface EventMeta {
  eventId: string;
  requestId?: string | undefined;
}

export async function notify(ctx: NotificationContext, tx: Tx, intent: NoticeIntent, meta: EventMeta): Promise<void> {
  const now = ctx.clock.now();
  const channels = settingsFor(intent.kind, await readSwitches(tx, intent.userId, intent.kind));
  if (!channels.in_app && !channels.email && !channels.push) return;
  const recipient = await takeNextSeq(tx, intent.userId, now);
  const rendered = renderNotice(ctx.templates, intent.kind, { ...intent.values, name: recipient.name ?? 'there' });
  const notification = await insertNotification(tx, {
    id: randomUUID(),
    userId: intent.userId,
    seq: recipient.lastSeq,
    kind: intent.kind,
    eventId: meta.eventId,
    title: rendered.title,
    body: rendered.body,
    data: intent.data,
    inApp: channels.in_app,
    now,
  });
  if (!notification) return; // this event already notified this user

  const jobs: NewDelivery[] = [];
  const base = { notificationId: notification.id, userId: intent.userId, kind: intent.kind };
  if (channels.email && recipient.email) {
    const { subject, text, html } = rendered;
    jobs.push({ ...base, id: randomUUID(), channel: 'email', content: { subject, text, html } });
  }
  if (channels.push && ctx.push && (await hasSubscription(tx, intent.userId))) {
    const content = {
      notificationId: notification.id,
      kind: intent.kind,
      title: rendered.title,
      body: rendered.body,
      data: intent.data,
    };
    jobs.push({ ...base, id: randomUUID(), channel: 'push', content });
  }
  await insertDeliveries(tx, jobs, now);
  if (channels.in_app) {
    await ctx.publish(
      tx,
      'notification.delivered',
      { notificationId: notification.id, channel: 'in_app', userId: intent.userId },
      { subject: intent.userId, requestId: meta.requestId },
    );
  }
  afterCommit(tx, () => {
    ctx.metrics.notificationCreated(intent.kind);
    if (channels.in_app) {
      ctx.metrics.deliveryFinished('in_app', 'delivered');
      ctx.signals.notificationsStored(intent.userId);
    }
    if (jobs.length > 0) ctx.signals.deliveriesQueued();
  });
}
