// Problems of Pay: checkout, payments, refunds, the payment provider and its webhooks.
import { defineProblems } from './define';

export const PAY_PROBLEMS = defineProblems({
  'checkout.course_not_found': { status: 404, title: 'Course not found' },
  'checkout.course_free': { status: 409, title: 'Course is free' },
  'checkout.already_owned': { status: 409, title: 'Course already bought' },
  'payment.not_found': { status: 404, title: 'Payment not found' },
  'payment.not_confirmable': { status: 409, title: 'Payment cannot be confirmed' },
  'payment.invalid_payment_method': { status: 400, title: 'Unknown payment method' },
  'payment.not_refundable': { status: 409, title: 'Payment cannot be refunded' },
  'refund.exceeds_remaining': { status: 409, title: 'Refund exceeds what is left' },
  'refund.rejected': { status: 409, title: 'Refund rejected by the provider' },
  'payment.provider_unavailable': { status: 503, title: 'Payment provider unavailable' },
  'payment.provider_error': { status: 502, title: 'Payment provider error' },
  'webhook.invalid_signature': { status: 400, title: 'Invalid webhook signature' },
  'webhook.invalid_payload': { status: 400, title: 'Invalid webhook payload' },
});
