// What Nexus's use cases need from the outside world, passed in explicitly.
import type { Clock, Logger, Pool } from '@azora/service-kit';
import type { EventSignal, Send } from '../domain/ports';
import type { DeliverySettings } from '../domain/settings';
import type { NexusMetrics } from '../metrics';

export interface NexusContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: NexusMetrics;
  readonly settings: DeliverySettings;
  /** The signed POST to a subscriber's endpoint (src/delivery). */
  readonly send: Send;
  /** Wakes readers of the log when events are appended (LISTEN/NOTIFY, src/db). */
  readonly appended: EventSignal;
}

/** The verified calling service of a request, and the request id its log lines carry. */
export interface Caller {
  readonly service: string;
  readonly requestId: string;
}
