// The payments that bought access to a course, so that a refund revokes access only when no
// other unrefunded payment for the same course and user remains.
import type { Queryable } from '@azora/service-kit';

export interface CoursePayment {
  paymentId: string;
  courseId: string;
  userId: string;
  amount: number;
  currency: string;
  now: Date;
}

/** Records a succeeded payment; recording it again changes nothing. */
export async function recordCoursePayment(db: Queryable, payment: CoursePayment): Promise<void> {
  await db.query(
    `INSERT INTO course_payments (payment_id, course_id, user_id, amount, currency, succeeded_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (payment_id) DO NOTHING`,
    [payment.paymentId, payment.courseId, payment.userId, payment.amount, payment.currency, payment.now],
  );
}

/** Marks the payment refunded; false when it is unknown or was already refunded. */
export async function markCoursePaymentRefunded(db: Queryable, paymentId: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE course_payments SET refunded_at = $2 WHERE payment_id = $1 AND refunded_at IS NULL`,
    [paymentId, now],
  );
  return (rowCount ?? 0) > 0;
}

export async function hasUnrefundedCoursePayment(db: Queryable, courseId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM course_payments WHERE course_id = $1 AND user_id = $2 AND refunded_at IS NULL LIMIT 1`,
    [courseId, userId],
  );
  return rows.length > 0;
}
