// What each consumed event does here: look up the facts the event does not carry (a course's
// title, the sender's name), build the notice, notify. Runs in the consumer's transaction.
import type { EventData } from '@azora/contracts';
import type { Tx } from '@azora/service-kit';
import { courseTitle, nameOf, saveCourseTitle, upsertRecipient } from '../db/recipients';
import {
  applicationNotice,
  courseCompletedNotice,
  enrollmentNotice,
  jobCompletedNotice,
  paymentNotice,
  transferNotice,
  userOfParty,
  welcomeNotice,
} from '../domain/notices';
import type { NotificationContext } from './context';
import { notify, type EventMeta } from './notify';

type PaymentType = 'pay.payment.succeeded' | 'pay.payment.failed' | 'pay.payment.refunded';

export async function userRegistered(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'identity.user.registered'>,
  meta: EventMeta,
): Promise<void> {
  await upsertRecipient(tx, { ...data, now: ctx.clock.now() });
  await notify(ctx, tx, welcomeNotice(data), meta);
}

export async function coursePublished(tx: Tx, data: EventData<'education.course.published'>): Promise<void> {
  await saveCourseTitle(tx, data.courseId, data.title);
}

export async function enrolled(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'education.enrollment.created'>,
  meta: EventMeta,
): Promise<void> {
  await notify(ctx, tx, enrollmentNotice(data, await courseTitle(tx, data.courseId)), meta);
}

export async function courseCompleted(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'education.course.completed'>,
  meta: EventMeta,
): Promise<void> {
  await notify(ctx, tx, courseCompletedNotice(data, await courseTitle(tx, data.courseId)), meta);
}

export async function transferCompleted(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'mint.transfer.completed'>,
  meta: EventMeta,
): Promise<void> {
  const sender = userOfParty(data.from);
  const notice = transferNotice(data, sender ? await nameOf(tx, sender) : null);
  if (notice) await notify(ctx, tx, notice, meta);
}

export async function applicationChanged(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'forge.application.status_changed'>,
  meta: EventMeta,
): Promise<void> {
  const notice = applicationNotice(data);
  if (notice) await notify(ctx, tx, notice, meta);
}

export async function jobCompleted(
  ctx: NotificationContext,
  tx: Tx,
  data: EventData<'forge.job.completed'>,
  meta: EventMeta,
): Promise<void> {
  await notify(ctx, tx, jobCompletedNotice(data), meta);
}

export async function paymentChanged(
  ctx: NotificationContext,
  tx: Tx,
  type: PaymentType,
  data: EventData<PaymentType>,
  meta: EventMeta,
): Promise<void> {
  const title = data.purpose === 'course' ? await courseTitle(tx, data.courseId) : null;
  await notify(ctx, tx, paymentNotice(type, data, title), meta);
}
