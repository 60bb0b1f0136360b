// Idempotency-Key requests: a key is scoped to its user and bound to one request, recognised
// by a hash of the operation and its parsed body (so key order and spacing do not matter).
import { createHash } from 'node:crypto';
import { IdempotencyKey } from '@azora/contracts';
import { idempotencyKeyInvalid, idempotencyKeyRequired } from './errors';

export function requestHash(operation: string, fields: readonly (string | number | null)[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('base64url');
}

/** The header's value, checked; `required` false lets an absent header through as null. */
export function idempotencyKey(header: string | undefined, { required }: { required: boolean }): string | null {
  if (header === undefined || header === '') {
    if (!required) return null;
    throw idempotencyKeyRequired();
  }
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw idempotencyKeyInvalid();
  }
  return parsed.data;
}
