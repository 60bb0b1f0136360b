// The records Pay's rules work on, as the database layer returns them (dates as Dates).
import type { PaymentPurpose, PaymentStatus, RefundReason, RefundStatus } from '@azora/contracts';

export type ProviderName = 'stripe' | 'sandbox';

export interface PaymentFailureRecord {
  code: string;
  declineCode: string | null;
  message: string;
}

export interface PaymentRecord {
  id: string;
  userId: string;
  purpose: PaymentPurpose;
  courseId: string | null;
  tokens: number | null;
  amount: number;
  currency: string;
  status: PaymentStatus;
  amountRefunded: number;
  provider: ProviderName;
  providerPaymentId: string | null;
  clientSecret: string | null;
  failure: PaymentFailureRecord | null;
  idempotencyKey: string | null;
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
  succeededAt: Date | null;
  refundedAt: Date | null;
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: RefundReason | null;
  providerRefundId: string | null;
  idempotencyKey: string | null;
  requestedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
