// A payment row as SQL returns it, and its record: shared by the payment queries.
import type { PaymentStatus } from '@azora/contracts';
import type { PaymentRecord, ProviderName } from '../domain/records';

export interface PaymentRow {
  id: string;
  user_id: string;
  purpose: PaymentRecord['purpose'];
  course_id: string | null;
  tokens: number | null;
  amount: number;
  currency: string;
  status: PaymentStatus;
  amount_refunded: number;
  provider: ProviderName;
  provider_payment_id: string | null;
  client_secret: string | null;
  failure_code: string | null;
  failure_decline_code: string | null;
  failure_message: string | null;
  idempotency_key: string | null;
  request_id: string | null;
  created_at: Date;
  updated_at: Date;
  succeeded_at: Date | null;
  refunded_at: Date | null;
}

export const COLUMNS = `id, user_id, purpose, course_id, tokens, amount, currency, status, amount_refunded, provider,
  provider_payment_id, client_secret, failure_code, failure_decline_code, failure_message, idempotency_key,
  request_id, created_at, updated_at, succeeded_at, refunded_at`;

export function toRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    userId: row.user_id,
    purpose: row.purpose,
    courseId: row.course_id,
    tokens: row.tokens,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    amountRefunded: row.amount_refunded,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    clientSecret: row.client_secret,
    failure: row.failure_code
      ? { code: row.failure_code, declineCode: row.failure_decline_code, message: row.failure_message ?? '' }
      : null,
    idempotencyKey: row.idempotency_key,
    requestId: row.request_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    succeededAt: row.succeeded_at,
    refundedAt: row.refunded_at,
  };
}
