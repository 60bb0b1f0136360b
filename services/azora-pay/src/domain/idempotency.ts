// The Idempotency-Key header of checkouts (optional) and refunds (required): checked against the
// contract's rule, scoped by the use case (a buyer's checkouts, a payment's refunds).
import { IdempotencyKey } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';

/** The header's value, checked; `required` false lets an absent header through as undefined. */
export function idempotencyKey(header: string | undefined, { required }: { required: boolean }): string | undefined {
  if (header === undefined || header === '') {
    if (!required) return undefined;
    throw new DomainError(
      'idempotency.key_required',
      'Send an Idempotency-Key header (for example a UUID) so a retried refund cannot pay back twice',
    );
  }
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new DomainError('idempotency.key_invalid', 'The Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return parsed.data;
}
