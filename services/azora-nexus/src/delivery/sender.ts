// Outbound deliveries: one POST of a DeliveryRequest to a subscriber's endpoint, signed with the
// subscription's secret (`azora-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`).
// Any 2xx acknowledges the batch; anything else, a timeout or a refused connection is a failure;
// a 503 is marked as the subscriber being temporarily unavailable, with its Retry-After.
import { SIGNATURE_HEADER } from '@azora/contracts';
import { createHttpClient, signDelivery, type Clock } from '@azora/service-kit';
import type { Send } from '../domain/ports';

const ERROR_TEXT_LIMIT = 300;

/** Why no answer came: the client names timeouts ("no answer within N ms") and socket errors. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'AbortError' ? 'aborted: Nexus is stopping' : error.message;
  return String(error);
}

/** Retry-After in seconds (the only form our services send), as milliseconds. */
function retryAfterMs(header: string | string[] | undefined): number | null {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

export function createSender({ clock, timeoutMs }: { clock: Clock; timeoutMs: number }): Send {
  // Redirects are not followed: a 3xx is a failed delivery like any other non-2xx.
  const http = createHttpClient();
  return async ({ endpoint, secret, body }, abort) => {
    const payload = JSON.stringify(body);
    const signature = signDelivery(secret, payload, Math.floor(clock.now().getTime() / 1000));
    try {
      const { status, ok, text, headers } = await http.call(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'user-agent': 'azora-nexus' },
        body: payload,
        timeoutMs,
        ...(abort ? { signal: abort } : {}),
      });
      if (ok) return { ok: true, status };
      const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_TEXT_LIMIT);
      const error = `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
      if (status !== 503) return { ok: false, error };
      return { ok: false, error, unavailable: { retryAfterMs: retryAfterMs(headers['retry-after']) } };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  };
}
