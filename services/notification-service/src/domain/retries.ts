// What happens after a delivery attempt: delivered, tried again later (exponential back-off
// with jitter, so deliveries that failed together do not all come back at once), or given up.
import type { DeliverySettings } from './settings';

/** What one attempt came to, as a provider adapter reports it. */
export type SendOutcome =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly permanent: boolean; readonly detail: string };

export type Decision =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'retry'; readonly nextAttemptAt: Date }
  | { readonly outcome: 'failed' };

/** The wait before attempt `attempt + 1`: half the ceiling plus up to half again, at random. */
export function retryDelayMs(
  attempt: number,
  { retryBaseMs, retryMaxMs }: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.ceil(ceiling / 2 + random() * (ceiling / 2));
}

export function decide(
  outcome: SendOutcome,
  attempt: number,
  now: Date,
  settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs' | 'maxAttempts'>,
  random?: () => number,
): Decision {
  if (outcome.ok) return { outcome: 'delivered' };
  if (outcome.permanent || attempt >= settings.maxAttempts) return { outcome: 'failed' };
  return { outcome: 'retry', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, settings, random)) };
}

/** One push message to all of a user's browsers: delivered when any of them took it; given up
 * when every one is gone or refused it for good; tried again when one might still take it. */
export function pushOutcome(results: ReadonlyArray<SendOutcome & { readonly gone: boolean }>): SendOutcome {
  const details = results.map((r) => r.detail).join('; ');
  const delivered = results.filter((r) => r.ok).length;
  if (delivered > 0) return { ok: true, detail: `${delivered} of ${results.length} browsers: ${details}` };
  if (results.every((r) => r.gone))
    return { ok: false, permanent: true, detail: `no push subscription left: ${details}` };
  const transient = results.some((r) => !r.ok && !r.permanent && !r.gone);
  return { ok: false, permanent: !transient, detail: details };
}
