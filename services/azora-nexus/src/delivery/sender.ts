// Outbound deliveries: one POST of a DeliveryRequest to a subscriber's endpoint, signed with the
// subscription's secret (`azora-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`).
// Any 2xx acknowledges the batch; anything else, a timeout or a refused connection is a failure.
import { SIGNATURE_HEADER } from '@azora/contracts';
import { createHttpClient, signDelivery, type Clock } from '@azora/service-kit';
import type { Send } from '../domain/ports';

const ERROR_TEXT_LIMIT = 300;

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    if (error.name === 'AbortError') return 'aborted: Nexus is stopping';
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) return cause.message;
    return error.message;
  }
  return String(error);
}

export function createSender({ clock, timeoutMs }: { clock: Clock; timeoutMs: number }): Send {
  // Redirects are not followed: a 3xx is a failed delivery like any other non-2xx.
  const http = createHttpClient();
  return async ({ endpoint, secret, body }, abort) => {
    const payload = JSON.stringify(body);
    const signature = signDelivery(secret, payload, Math.floor(clock.now().getTime() / 1000));
    try {
      const { status, text } = await http.call(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'user-agent': 'azora-nexus' },
        body: payload,
        timeoutMs,
        ...(abort ? { signal: abort } : {}),
      });
      if (status >= 200 && status < 300) return { ok: true, status };
      const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_TEXT_LIMIT);
      return { ok: false, error: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}` };
    } catch (error) {
      return { ok: false, error: describe(error, timeoutMs) };
    }
  };
}
