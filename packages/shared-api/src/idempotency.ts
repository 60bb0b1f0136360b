// Idempotency keys for requests that must happen once (transfers, checkouts, job posts): a random
// UUID v4 from Web Crypto, which browsers and Node 20 both have on globalThis.
import { IDEMPOTENCY_KEY_HEADER } from './contract-constants';
import { type RouteCall } from './transport';

/** A new random key. Uses crypto.randomUUID where it exists (secure contexts, Node 20). */
export function newIdempotencyKey(): string {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new Error('No Web Crypto on globalThis: pass an idempotencyKey explicitly');
  }
  // randomUUID is missing on pages served over plain http; getRandomValues is not.
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The route with its Idempotency-Key header: the caller's key, else a new one. */
export function withIdempotencyKey(route: RouteCall, options: { idempotencyKey?: string | undefined }): RouteCall {
  return { ...route, headers: { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey ?? newIdempotencyKey() } };
}
