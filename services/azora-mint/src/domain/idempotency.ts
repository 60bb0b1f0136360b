// Idempotency-Key requests: a key (read by the kit's idempotencyKeyOf) is scoped to its user and
// bound to one request, recognised by a hash of the operation and its parsed body (so key order
// and spacing do not matter).
import { createHash } from 'node:crypto';

export function requestHash(operation: string, fields: readonly (string | number | null)[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('base64url');
}
