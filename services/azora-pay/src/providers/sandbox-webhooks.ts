// The sandbox's webhook sender: each event is POSTed to the service's own /webhooks/stripe,
// signed at each attempt exactly as Stripe signs (timestamp and v1 HMAC over the raw body),
// asynchronously after the state change, and retried with exponential back-off like Stripe's
// until it is acknowledged with a 2xx. A crash loses the queue; reconciliation settles what it held.
import { STRIPE_WEBHOOK_PATH } from '@azora/contracts';
import { createHttpClient, sleep, type Clock, type Logger } from '@azora/service-kit';
import { signStripeWebhook } from './webhook-signature';

export interface WebhookSink {
  /** Queues an event (a Stripe event JSON object) for delivery. */
  send(event: Record<string, unknown>): void;
}

export interface SandboxWebhookSender extends WebhookSink {
  /** Where the service listens; deliveries wait until it is known. */
  setTarget(baseUrl: string): void;
  /** Resolves once every queued delivery has ended (delivered or given up). */
  idle(): Promise<void>;
}

export interface SandboxWebhookOptions {
  secret: string;
  clock: Clock;
  logger: Logger;
  stopping: AbortSignal;
  maxAttempts: number;
  /** First retry delay; doubled per attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  onOutcome?: (outcome: 'delivered' | 'retried' | 'gave_up') => void;
}

export function createSandboxWebhookSender(options: SandboxWebhookOptions): SandboxWebhookSender {
  const http = createHttpClient({ maxSockets: 8 });
  const inFlight = new Set<Promise<void>>();
  let target: string | undefined;

  async function attempt(payload: string): Promise<boolean> {
    if (!target) return false;
    const signature = signStripeWebhook(payload, options.secret, Math.floor(options.clock.now().getTime() / 1000));
    try {
      const answer = await http.call(`${target}${STRIPE_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
        body: payload,
        timeoutMs: 10_000,
        signal: options.stopping,
      });
      return answer.ok;
    } catch {
      return false;
    }
  }

  async function deliver(event: Record<string, unknown>): Promise<void> {
    // Stripe sends the body pretty-printed; signatures cover these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    for (let n = 1; n <= options.maxAttempts && !options.stopping.aborted; n++) {
      if (await attempt(payload)) {
        options.onOutcome?.('delivered');
        return;
      }
      if (n < options.maxAttempts) {
        options.onOutcome?.('retried');
        await sleep(Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (n - 1)), options.stopping);
      }
    }
    options.onOutcome?.('gave_up');
    options.logger.warn({ eventId: event['id'], type: event['type'] }, 'sandbox webhook not acknowledged; giving up');
  }

  return {
    send(event) {
      // After the caller's state change has returned: never inside its transaction or request.
      const delivery: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(event))
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },
    setTarget(baseUrl) {
      target = baseUrl.replace(/\/+$/, '');
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
