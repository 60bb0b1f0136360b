// How a payment's status may move. Provider events arrive late, twice and out of order, so a
// status only moves forward: a `succeeded` delivered after a refund cannot bring the payment
// back, and a stale `payment_failed` cannot undo a success.
import type { PaymentStatus } from '@azora/contracts';
import type { ProviderIntent } from './ports';

const OPEN: readonly PaymentStatus[] = ['requires_payment_method', 'requires_action', 'processing', 'failed'];

const ALLOWED_FROM: Record<PaymentStatus, readonly PaymentStatus[]> = {
  requires_payment_method: [],
  // A retry after a decline may need action or process again.
  requires_action: ['requires_payment_method', 'processing', 'failed'],
  processing: ['requires_payment_method', 'requires_action', 'failed'],
  failed: ['requires_payment_method', 'requires_action', 'processing'],
  succeeded: OPEN,
  // From an open status too: a refund heard before the payment's own success proves it was paid.
  partially_refunded: ['succeeded', ...OPEN],
  refunded: ['succeeded', 'partially_refunded', ...OPEN],
  canceled: OPEN,
};

export function mayMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return ALLOWED_FROM[to].includes(from);
}

export function isOpen(status: PaymentStatus): boolean {
  return OPEN.includes(status);
}

/** Bought and not (fully) refunded: for a course, the buyer owns it. */
export function isPaid(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'partially_refunded';
}

/** The payment status an intent's state means; null when it means no change (a fresh intent). */
export function statusOfIntent(intent: Pick<ProviderIntent, 'status' | 'lastError'>): PaymentStatus | null {
  switch (intent.status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    case 'canceled':
      return 'canceled';
    case 'requires_payment_method':
      // Stripe puts a declined intent back here with the decline as its last error.
      return intent.lastError ? 'failed' : null;
    default:
      return null;
  }
}

/** A refund's status only moves from pending (or requires_action) to a final one. */
export function refundMayMove(from: string, to: string): boolean {
  return (from === 'pending' || from === 'requires_action') && from !== to;
}
