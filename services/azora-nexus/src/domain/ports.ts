// What the use cases hold while they work, as interfaces: claims on rows (implemented in src/db),
// the HTTP sender (src/delivery) and the wake-up signal (LISTEN/NOTIFY, src/db).
import type { DeliveryRequest, StoredEvent } from '@azora/contracts';
import type { DeadLetterRecord, SubscriptionRecord } from './records';

/** A subscription row held (locked) for the duration of one delivery attempt. */
export interface SubscriptionClaim {
  readonly subscription: SubscriptionRecord;
  /** The highest seq in the log when the claim was taken. */
  readonly head: number;
  /** Matching events with after < seq <= upTo, in seq order, at most `limit`. */
  pendingEvents(range: { after: number; upTo: number; limit: number }): Promise<StoredEvent[]>;
  /** Success: position moves to `position`, the failure state is cleared; the claim ends. */
  acknowledge(position: number): Promise<void>;
  /** Failure: the attempt is recorded and the next one scheduled at `retryAt`; the claim ends. */
  fail(failure: { attempts: number; error: string; retryAt: Date; isolateThrough: number }): Promise<void>;
  /** Gives up on the head event: it becomes a dead letter and position moves past it; the claim ends. */
  deadLetter(dead: { seq: number; attempts: number; error: string; at: Date }): Promise<void>;
  /** Ends the claim changing nothing. */
  release(): Promise<void>;
}

export interface DueSubscriptions {
  readonly due: string[];
  /** Milliseconds until the earliest scheduled retry, when one is pending. */
  readonly waitMs: number | null;
}

/** A dead letter held (locked) while it is retried by hand. */
export interface DeadLetterClaim {
  readonly deadLetter: DeadLetterRecord;
  readonly subscription: Pick<SubscriptionRecord, 'id' | 'endpoint' | 'secret' | 'subscriber'>;
  markDelivered(at: Date): Promise<DeadLetterRecord>;
  markFailed(error: string, at: Date): Promise<DeadLetterRecord>;
  release(): Promise<void>;
}

export type SendResult =
  | { ok: true; status: number }
  | {
      ok: false;
      error: string;
      /** The subscriber answered 503: it is up but a dependency of its own is not (its database),
       * and it may say when to try again. Not the subscriber refusing the events. */
      unavailable?: { retryAfterMs: number | null };
    };

export interface Delivery {
  readonly endpoint: string;
  readonly secret: string;
  readonly body: DeliveryRequest;
}

/** POSTs one signed delivery; never throws: a failure is a result. */
export type Send = (delivery: Delivery, abort?: AbortSignal) => Promise<SendResult>;

/** Calls back whenever events were appended (and when listening resumed after a gap). */
export interface EventSignal {
  subscribe(onAppended: () => void): () => void;
}

/** An EventSignal with a connection of its own, given back by close(). */
export interface ListeningSignal extends EventSignal {
  close(): Promise<void>;
}
