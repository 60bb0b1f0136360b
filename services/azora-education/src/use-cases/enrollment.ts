// Getting into a course: a free course by asking (201 once, the same enrolment after), a paid
// one by paying: Pay's payment.succeeded grants access and payment.refunded takes it back.
import { randomUUID } from 'node:crypto';
import type { EventData } from '@azora/contracts';
import { withTransaction, type Tx } from '@azora/service-kit';
import { findCourse } from '../db/courses';
import { hasUnrefundedCoursePayment, markCoursePaymentRefunded, recordCoursePayment } from '../db/course-payments';
import { activateEnrollment, findEnrollment, revokePaidEnrollment } from '../db/enrollments';
import { visibleCourse } from '../domain/access';
import { courseNotPublished, paymentRequired } from '../domain/errors';
import type { EnrollmentRecord } from '../domain/records';
import type { Caller, EducationContext } from './context';

export interface EnrollResult {
  enrollment: EnrollmentRecord;
  /** False when the caller was already enrolled: the existing enrolment, nothing new. */
  created: boolean;
}

export async function enroll(ctx: EducationContext, caller: Caller, courseId: string): Promise<EnrollResult> {
  const userId = caller.user.id;
  const result = await withTransaction(ctx.pool, async (tx): Promise<EnrollResult> => {
    const course = visibleCourse(caller.user, await findCourse(tx, courseId), courseId);
    if (course.status !== 'published') throw courseNotPublished(courseId);
    if (course.priceCents > 0) {
      const existing = await findEnrollment(tx, courseId, userId);
      if (existing?.status === 'active') return { enrollment: existing, created: false };
      throw paymentRequired(course);
    }
    const granted = await activateEnrollment(tx, {
      id: randomUUID(),
      courseId,
      userId,
      source: 'free',
      now: ctx.clock.now(),
    });
    if (!granted) {
      const existing = await findEnrollment(tx, courseId, userId);
      if (!existing) throw new Error(`the enrolment of ${userId} in ${courseId} conflicted but is not visible`);
      return { enrollment: existing, created: false };
    }
    await ctx.publish(
      tx,
      'education.enrollment.created',
      { courseId, userId },
      { subject: userId, requestId: caller.requestId },
    );
    return { enrollment: granted.enrollment, created: true };
  });
  if (result.created) ctx.metrics.enrollments.inc({ source: 'free' });
  return result;
}

type PaymentEvent = EventData<'pay.payment.succeeded'>;
interface EventMeta {
  requestId?: string | undefined;
}

/** What a payment is about, when it is a course purchase; null for anything else (tokens). */
function coursePurchase(payment: PaymentEvent): { courseId: string; userId: string } | null {
  return payment.purpose === 'course' && payment.courseId
    ? { courseId: payment.courseId, userId: payment.userId }
    : null;
}

/** pay.payment.succeeded: enrols the payer (runs in the consumer's transaction, with the inbox). */
export async function grantPaidAccess(
  ctx: EducationContext,
  tx: Tx,
  payment: PaymentEvent,
  meta: EventMeta,
): Promise<void> {
  const purchase = coursePurchase(payment);
  if (!purchase) return;
  if (!(await findCourse(tx, purchase.courseId))) {
    ctx.logger.warn(
      { paymentId: payment.paymentId, courseId: purchase.courseId },
      'a payment names a course that does not exist; no access granted',
    );
    return;
  }
  const now = ctx.clock.now();
  await recordCoursePayment(tx, {
    ...purchase,
    paymentId: payment.paymentId,
    amount: payment.amount,
    currency: payment.currency,
    now,
  });
  const granted = await activateEnrollment(tx, { id: randomUUID(), ...purchase, source: 'payment', now });
  if (!granted) return; // already enrolled: the payment is recorded, access unchanged
  await ctx.publish(tx, 'education.enrollment.created', purchase, {
    subject: purchase.userId,
    requestId: meta.requestId,
  });
  ctx.metrics.enrollments.inc({ source: 'payment' });
}

/** pay.payment.refunded: revokes the paid enrolment unless another unrefunded payment covers it. */
export async function revokePaidAccess(ctx: EducationContext, tx: Tx, payment: PaymentEvent): Promise<void> {
  const purchase = coursePurchase(payment);
  if (!purchase) return;
  const now = ctx.clock.now();
  if (!(await markCoursePaymentRefunded(tx, payment.paymentId, now))) return; // unknown or already refunded
  if (await hasUnrefundedCoursePayment(tx, purchase.courseId, purchase.userId)) return;
  const revoked = await revokePaidEnrollment(tx, purchase.courseId, purchase.userId, now);
  if (revoked)
    ctx.logger.info(
      { courseId: purchase.courseId, userId: purchase.userId, paymentId: payment.paymentId },
      'enrolment revoked by a refund',
    );
}
