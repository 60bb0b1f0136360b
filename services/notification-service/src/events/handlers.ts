// The events Notification consumes (the catalog routes them here; education.course.published
// only teaches it course titles). Each runs in the consumer's transaction together with the
// inbox record, so a redelivered event notifies nobody twice.
import type { Consumer } from '@azora/service-kit';
import type { NotificationContext } from '../use-cases/context';
import {
  applicationChanged,
  coursePublished,
  courseCompleted,
  enrolled,
  jobCompleted,
  paymentChanged,
  transferCompleted,
  userRegistered,
} from '../use-cases/event-notices';

const metaOf = (event: { id: string; requestId?: string | undefined }) => ({
  eventId: event.id,
  requestId: event.requestId,
});

export function registerEventHandlers(events: Consumer, ctx: NotificationContext): void {
  events.on('identity.user.registered', (e, tx) => userRegistered(ctx, tx, e.data, metaOf(e)));
  events.on('education.course.published', (e, tx) => coursePublished(tx, e.data));
  events.on('education.enrollment.created', (e, tx) => enrolled(ctx, tx, e.data, metaOf(e)));
  events.on('education.course.completed', (e, tx) => courseCompleted(ctx, tx, e.data, metaOf(e)));
  events.on('mint.transfer.completed', (e, tx) => transferCompleted(ctx, tx, e.data, metaOf(e)));
  events.on('forge.application.status_changed', (e, tx) => applicationChanged(ctx, tx, e.data, metaOf(e)));
  events.on('forge.job.completed', (e, tx) => jobCompleted(ctx, tx, e.data, metaOf(e)));
  for (const type of ['pay.payment.succeeded', 'pay.payment.failed', 'pay.payment.refunded'] as const) {
    events.on(type, (e, tx) => paymentChanged(ctx, tx, type, e.data, metaOf(e)));
  }
}
