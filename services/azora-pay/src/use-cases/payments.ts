// Reading payments: one payment for its buyer or an admin (404 for anyone else, so a payment's
// existence does not leak), and the caller's own payments, newest first, in keyset pages.
import { decodeCursor, encodeCursor, keysetPage, type PaymentStatus } from '@azora/contracts';
import { invalidCursor } from '@azora/service-kit';
import { listUserPayments, type PagePosition } from '../db/payment-lists';
import { findPayment } from '../db/payments';
import { paymentNotFound } from '../domain/errors';
import type { PaymentRecord } from '../domain/records';
import type { Caller, PayContext } from './context';

export async function getPayment(ctx: PayContext, caller: Caller, id: string): Promise<PaymentRecord> {
  const payment = await findPayment(ctx.pool, id);
  if (!payment || (payment.userId !== caller.user.id && caller.user.role !== 'admin')) throw paymentNotFound(id);
  return payment;
}

function positionOf(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  const [createdAt, id] = decoded ?? [];
  const valid =
    decoded?.length === 2 &&
    typeof createdAt === 'string' &&
    !Number.isNaN(Date.parse(createdAt)) &&
    typeof id === 'string' &&
    /^[0-9a-f-]{36}$/i.test(id);
  if (!valid) throw invalidCursor();
  return { createdAt, id };
}

export async function myPayments(
  ctx: PayContext,
  caller: Caller,
  query: { cursor?: string | undefined; limit: number; status?: PaymentStatus | undefined },
): Promise<{ items: PaymentRecord[]; nextCursor: string | null }> {
  const rows = await listUserPayments(ctx.pool, caller.user.id, {
    after: positionOf(query.cursor),
    limit: query.limit + 1,
    status: query.status,
  });
  return keysetPage(
    rows,
    query.limit,
    (row) => row.payment,
    (last) => encodeCursor([last.position.createdAt, last.position.id]),
  );
}
