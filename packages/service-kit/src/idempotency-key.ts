// The Idempotency-Key request header, as every route that moves money or tokens reads it: 1 to
// 255 visible ASCII characters (the contracts' rule), required or optional per route. What a
// key is scoped to (a user's transfers, a payment's refunds) is the use case's to decide.
import type { Request } from 'express';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '@azora/contracts';
import { DomainError } from './errors';

/** The request's Idempotency-Key, checked. */
export function idempotencyKeyOf(req: Request, options: { required: true; why?: string }): string;
export function idempotencyKeyOf(req: Request, options: { required: false; why?: string }): string | null;
export function idempotencyKeyOf(req: Request, { required, why }: { required: boolean; why?: string }): string | null {
  const header = req.get(IDEMPOTENCY_KEY_HEADER);
  if (header === undefined || header === '') {
    if (!required) return null;
    throw new DomainError(
      'idempotency.key_required',
      `Send an Idempotency-Key header (for example a UUID) so that ${why ?? 'a retried request takes effect once'}`,
    );
  }
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new DomainError('idempotency.key_invalid', 'The Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return parsed.data;
}
