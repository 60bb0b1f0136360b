// Records to the shapes clients see: each mapper copies only the fields a response may show.
import type {
  Delivery,
  DeliveryAttempt,
  MailMessage,
  MailSummary,
  Notification,
  PushSubscription,
} from '@azora/contracts';
import type { AttemptRecord, DeliveryRecord, MailRecord, NotificationRecord, PushSubscriptionRecord } from './records';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toNotification(n: NotificationRecord): Notification {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    seq: n.seq,
    createdAt: n.createdAt.toISOString(),
    readAt: iso(n.readAt),
  };
}

export function toPushSubscription(s: PushSubscriptionRecord): PushSubscription {
  return {
    id: s.id,
    endpoint: s.endpoint,
    expirationTime: iso(s.expirationTime),
    createdAt: s.createdAt.toISOString(),
  };
}

export function toDelivery(d: DeliveryRecord): Delivery {
  return {
    id: d.id,
    notificationId: d.notificationId,
    userId: d.userId,
    kind: d.kind,
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    finishedAt: iso(d.finishedAt),
  };
}

export function toAttempt(a: AttemptRecord): DeliveryAttempt {
  return {
    attempt: a.attempt,
    outcome: a.outcome,
    detail: a.detail,
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt.toISOString(),
  };
}

export function toMailSummary(m: MailRecord): MailSummary {
  return {
    id: m.id,
    messageId: m.messageId,
    from: m.from,
    to: m.to,
    subject: m.subject,
    size: m.size,
    receivedAt: m.receivedAt.toISOString(),
  };
}

export function toMailMessage(m: MailRecord): MailMessage {
  return { ...toMailSummary(m), text: m.text, html: m.html };
}
