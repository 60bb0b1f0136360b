// What the use cases hold while they work, as interfaces. The storage and fan-out port
// (NexusBackend: the event log, subscriptions, delivery claims, dead letters) has two adapters:
// PostgreSQL (src/db) and NATS JetStream (src/nats), chosen by NEXUS_BACKEND. Besides it: the
// HTTP sender (src/delivery) and the wake-up signal on append.
import type { DeliveryRequest, EventEnvelope, StoredEvent } from '@azora/contracts';
import type { DeadLetterRecord, DeadLetterStatus, SubscriptionRecord } from './records';

/** A subscription row held (locked) for the duration of one delivery attempt. */
export interface SubscriptionClaim {
  readonly subscription: SubscriptionRecord;
  /** The highest seq in the log when the claim was taken. */
  readonly head: number;
  /** Matching events after `after`, in seq order, at most `limit`, from a scan that went no further
   * than `upTo`; `scannedThrough` is the last seq it looked at (matching or not). */
  pendingEvents(range: { after: number; upTo: number; limit: number }): Promise<PendingEvents>;
  /** Success: position moves to `position`, the failure state is cleared; the claim ends. */
  acknowledge(position: number): Promise<void>;
  /** Failure: the attempt is recorded and the next one scheduled at `retryAt`; the claim ends. */
  fail(failure: { attempts: number; error: string; retryAt: Date; isolateThrough: number }): Promise<void>;
  /** Gives up on the head event: it becomes a dead letter (a copy of the event kept with it) and
   * position moves past it; the claim ends. */
  deadLetter(dead: { event: StoredEvent; attempts: number; error: string; at: Date }): Promise<void>;
  /** Ends the claim changing nothing. */
  release(): Promise<void>;
}

export interface PendingEvents {
  readonly events: StoredEvent[];
  readonly scannedThrough: number;
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

/** What appending gave one envelope of a batch, in batch order. */
export interface AppendedEvent {
  readonly id: string;
  readonly seq: number;
  /** False for an id already in the log (or repeated earlier in the same batch). */
  readonly fresh: boolean;
}

export interface LogFilter {
  /** Events with a seq greater than this. */
  readonly after: number;
  /** Topic patterns (exact, `prefix.*`, `*`); empty for every type. */
  readonly types: readonly string[];
  readonly limit: number;
}

/** The event log: every accepted event once, numbered by a global, gap-free sequence, in which a
 * reader that sees seq N sees every seq below it. */
export interface EventLog {
  /** Appends a validated batch in batch order; idempotent on event id. */
  append(events: readonly EventEnvelope[]): Promise<AppendedEvent[]>;
  read(filter: LogFilter): Promise<StoredEvent[]>;
  /** The highest seq in the log (0 when empty). */
  head(): Promise<number>;
  /** Wakes readers of the log (streams) on append; holds its connection only while subscribed. */
  readonly appended: EventSignal;
  /** A signal with a connection of its own, for a dispatcher, which closes it. */
  listen(): ListeningSignal;
}

export interface NewSubscription {
  readonly subscriber: string;
  readonly endpoint: string;
  readonly topics: readonly string[];
  /** Used only when the subscription is new; an existing one keeps its secret. */
  readonly secret: string;
  readonly from: 'beginning' | 'now';
}

export interface SubscriptionStore {
  /** Creates the subscription, or updates the topics of the existing one (same id, same secret). */
  upsert(input: NewSubscription): Promise<{ record: SubscriptionRecord; created: boolean }>;
  list(filter: { subscriber?: string | undefined }): Promise<SubscriptionRecord[]>;
  find(id: string): Promise<SubscriptionRecord | null>;
  /** Deletes the subscription, its delivery state and its dead letters; false when it does not exist. */
  remove(id: string): Promise<boolean>;
  /** Per subscriber: seqs of the log beyond its position. */
  backlog(): Promise<Array<{ subscriber: string; backlog: number }>>;
}

export interface DeliveryStore {
  /** Subscriptions with events beyond their position, due at `now` and not claimed by anyone. */
  findDue(query: { exclude: readonly string[]; limit: number; now: Date }): Promise<DueSubscriptions>;
  /** Holds the subscription for one attempt if it is due at `now` and nobody else holds it. */
  claim(subscriptionId: string, now: Date): Promise<SubscriptionClaim | null>;
}

export interface DeadLetterFilter {
  readonly subscriber?: string | undefined;
  readonly status?: DeadLetterStatus | undefined;
  /** Keyset position: the list goes on after the dead letter with this ordinal. */
  readonly after?: number | undefined;
  readonly limit: number;
}

export interface DeadLetterStore {
  /** Oldest first; `next` is where the next page starts. */
  list(filter: DeadLetterFilter): Promise<{ items: DeadLetterRecord[]; next: number | null }>;
  /** 'missing' when there is no such dead letter, 'busy' when another retry holds it right now. */
  claim(id: string): Promise<DeadLetterClaim | 'missing' | 'busy'>;
}

/** Where Nexus keeps and fans out events: one adapter per NEXUS_BACKEND. */
export interface NexusBackend {
  readonly kind: 'postgres' | 'nats';
  readonly log: EventLog;
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly deadLetters: DeadLetterStore;
}
