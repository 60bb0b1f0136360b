// What Nexus's use cases need from the outside world, passed in explicitly.
import type { Clock, Logger } from '@azora/service-kit';
import type { DeadLetterStore, DeliveryStore, EventLog, Send, SubscriptionStore } from '../domain/ports';
import type { DeliverySettings } from '../domain/settings';
import type { NexusMetrics } from '../metrics';

export interface NexusContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: NexusMetrics;
  readonly settings: DeliverySettings;
  /** The signed POST to a subscriber's endpoint (src/delivery). */
  readonly send: Send;
  /** The storage and fan-out port, from the backend NEXUS_BACKEND names (src/db or src/nats). */
  readonly log: EventLog;
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly deadLetters: DeadLetterStore;
}

/** The verified calling service of a request, and the request id its log lines carry. */
export interface Caller {
  readonly service: string;
  readonly requestId: string;
}
