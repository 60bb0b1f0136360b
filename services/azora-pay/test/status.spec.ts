// The rules of a payment's status: forward only, whatever order the provider's events come in.
import { isPaid, mayMove, statusOfIntent } from '../src/domain/status';

describe('payment status rules', () => {
  it.each([
    ['requires_payment_method', 'succeeded', true],
    ['failed', 'succeeded', true],
    ['processing', 'failed', true],
    ['succeeded', 'partially_refunded', true],
    ['partially_refunded', 'refunded', true],
    ['refunded', 'succeeded', false],
    ['partially_refunded', 'succeeded', false],
    ['succeeded', 'failed', false],
    ['succeeded', 'processing', false],
    ['refunded', 'failed', false],
    ['canceled', 'succeeded', false],
    ['succeeded', 'canceled', false],
  ] as const)('From %s to %s: %s', (from, to, allowed) => {
    expect(mayMove(from, to)).toBe(allowed);
  });

  it('When an intent awaits its payment method with no error, then it means no change; with a decline, failed', () => {
    expect(statusOfIntent({ status: 'requires_payment_method', lastError: null })).toBeNull();
    expect(
      statusOfIntent({
        status: 'requires_payment_method',
        lastError: { code: 'card_declined', declineCode: null, message: 'Declined' },
      }),
    ).toBe('failed');
    expect(statusOfIntent({ status: 'requires_capture', lastError: null })).toBeNull();
  });

  it('When a payment is succeeded or partly refunded, then it is paid (a course is owned); refunded, not', () => {
    expect([isPaid('succeeded'), isPaid('partially_refunded'), isPaid('refunded'), isPaid('failed')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
