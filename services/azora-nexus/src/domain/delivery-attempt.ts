// The decisions of one delivery attempt, as pure rules: which events it sends (a batch, or the
// head alone while a failure is being isolated), where the position moves once they are
// acknowledged, and what a failure leads to: a retry after a back-off, or, on the head event's
// last allowed failure, a dead letter and delivery past it (the skip policy: one poison event
// must not stall everything behind it).
import { backoffDelay } from './backoff';
import type { SubscriptionRecord } from './records';
import type { DeliverySettings } from './settings';

/** How far past its position one attempt looks for matching events. Bounds the scan of a
 * subscription whose topics are rare in a long log; the position still moves past what it scanned. */
export const SCAN_WINDOW = 20_000;

type Delivering = Pick<SubscriptionRecord, 'attempts' | 'position' | 'isolateThrough'>;

/** After a failure, events go one at a time until past the batch that failed. */
export function isolating({ attempts, position, isolateThrough }: Delivering): boolean {
  return attempts > 0 || position < isolateThrough;
}

export interface AttemptWindow {
  /** Matching events with after < seq <= upTo, at most `limit` of them. */
  readonly after: number;
  readonly upTo: number;
  readonly limit: number;
}

export function attemptWindow(subscription: Delivering, head: number, settings: DeliverySettings): AttemptWindow {
  return {
    after: subscription.position,
    upTo: Math.min(head, subscription.position + SCAN_WINDOW),
    limit: isolating(subscription) ? 1 : settings.batchSize,
  };
}

/** Where the position moves once `delivered` (in seq order, possibly none) is acknowledged: a
 * short batch means nothing else matched up to where the scan went, so it moves that far. */
export function positionAfter(
  window: Pick<AttemptWindow, 'limit'>,
  { events: delivered, scannedThrough }: { events: ReadonlyArray<{ seq: number }>; scannedThrough: number },
): number {
  const last = delivered[delivered.length - 1];
  return !last || delivered.length < window.limit ? scannedThrough : last.seq;
}

export type FailureOutcome =
  | { readonly kind: 'dead-letter'; readonly seq: number; readonly attempts: number }
  | {
      readonly kind: 'retry';
      readonly attempts: number;
      readonly delayMs: number;
      readonly retryAt: Date;
      /** Events up to this seq go one at a time from now on. */
      readonly isolateThrough: number;
    };

/** A subscriber that answers 503 is retried this soon at the latest, whatever its Retry-After,
 * so delivery resumes within about a second of its own dependency coming back. */
const UNAVAILABLE_RETRY_MAX_MS = 1_000;

/** What a failed attempt on `sent` (non-empty, in seq order) leads to, decided at `now`. A
 * subscriber that said it is temporarily unavailable (503) is retried soon and the attempt does
 * not count toward dead-lettering: its outage says nothing about the events. */
export function afterFailure(
  {
    subscription,
    sent,
    settings,
    now,
    unavailable,
  }: {
    subscription: Pick<SubscriptionRecord, 'attempts'>;
    sent: ReadonlyArray<{ seq: number }>;
    settings: DeliverySettings;
    now: Date;
    unavailable?: { retryAfterMs: number | null } | undefined;
  },
  random: () => number = Math.random,
): FailureOutcome {
  const lastSeq = sent[sent.length - 1]?.seq ?? 0;
  if (unavailable) {
    const wanted = unavailable.retryAfterMs ?? UNAVAILABLE_RETRY_MAX_MS;
    const delayMs = Math.round(Math.min(wanted, UNAVAILABLE_RETRY_MAX_MS) * (0.5 + random() / 2));
    return {
      kind: 'retry',
      attempts: subscription.attempts,
      delayMs,
      retryAt: new Date(now.getTime() + delayMs),
      isolateThrough: lastSeq,
    };
  }
  const attempts = subscription.attempts + 1;
  if (sent.length === 1 && attempts >= settings.maxAttempts) return { kind: 'dead-letter', seq: lastSeq, attempts };
  const delayMs = backoffDelay(
    { failuresBefore: subscription.attempts, baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs },
    random,
  );
  return { kind: 'retry', attempts, delayMs, retryAt: new Date(now.getTime() + delayMs), isolateThrough: lastSeq };
}
