// The records Nexus keeps, as the domain sees them: plain data, whatever stores them.
import type { StoredEvent } from '@azora/contracts';

export interface SubscriptionRecord {
  readonly id: string;
  readonly subscriber: string;
  readonly endpoint: string;
  readonly topics: readonly string[];
  readonly secret: string;
  /** The last seq acknowledged (or skipped as not matching): delivery resumes after it. */
  readonly position: number;
  /** Failed attempts on the current head since the last success. */
  readonly attempts: number;
  /** After a failed batch, events up to this seq are delivered one at a time. */
  readonly isolateThrough: number;
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

export type DeadLetterStatus = 'dead' | 'retrying' | 'delivered';

export interface DeadLetterRecord {
  readonly id: string;
  readonly subscriptionId: string;
  readonly subscriber: string;
  readonly event: StoredEvent;
  readonly attempts: number;
  readonly lastError: string;
  readonly status: DeadLetterStatus;
  readonly createdAt: Date;
  readonly retriedAt: Date | null;
}
