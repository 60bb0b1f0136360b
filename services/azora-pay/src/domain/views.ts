// Mappers from records to the response bodies of the contract: only the fields a caller may see
// (never the client secret, which only the checkout answer carries).
import type { Payment, Refund } from '@azora/contracts';
import type { PaymentRecord, RefundRecord } from './records';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toPayment(record: PaymentRecord): Payment {
  return {
    id: record.id,
    userId: record.userId,
    purpose: record.purpose,
    courseId: record.courseId,
    tokens: record.tokens,
    amount: record.amount,
    currency: record.currency,
    status: record.status,
    amountRefunded: record.amountRefunded,
    provider: record.provider,
    providerPaymentId: record.providerPaymentId,
    failure: record.status === 'failed' ? record.failure : null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    succeededAt: iso(record.succeededAt),
    refundedAt: iso(record.refundedAt),
  };
}

export function toRefund(record: RefundRecord): Refund {
  return {
    id: record.id,
    paymentId: record.paymentId,
    amount: record.amount,
    currency: record.currency,
    status: record.status,
    reason: record.reason,
    providerRefundId: record.providerRefundId,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
