// Consuming: Nexus POSTs signed batches to the service's delivery endpoint; each batch is
// applied in one transaction that records every event id in the inbox, so a redelivered event
// is acknowledged without its handler running again.
import express, { Router } from 'express';
import type { Logger } from 'pino';
import {
  BUS_BODY_LIMIT_BYTES,
  DeliveryRequest,
  eventOwner,
  mayPublish,
  SIGNATURE_HEADER,
  isEventType,
  topicMatches,
  EVENT_DATA,
  type DeliveryResponse,
  type EventType,
  type TypedEvent,
  type StoredEvent,
} from '@azora/contracts';
import type { Clock } from '../clock';
import { DomainError, validationError } from '../errors';
import type { Metrics } from '../metrics';
import { withTransaction, type Pool, type Tx } from '../db/pool';
import type { NexusClient } from './nexus-client';
import { verifyDelivery } from './signature';
import { withSpan } from '../tracing/bridge';

export const DELIVERY_PATH = '/_nexus/deliveries';

/** An event as a handler sees it: its data parsed with the schema of its type. */
export type DeliveredEvent<T extends EventType = EventType> = TypedEvent<T> & { seq: number; receivedAt: string };

export type EventHandler<T extends EventType = EventType> = (event: DeliveredEvent<T>, tx: Tx) => Promise<void>;

/** A delivered event: `typed` is null for a type this build does not know (a newer publisher's),
 * and for an event whose source does not own its type (`foreign`), which is never applied. */
type Received = { event: StoredEvent; typed: DeliveredEvent | null; foreign?: boolean };

export interface Consumer {
  /** Runs `handler` for every delivered event whose type matches `pattern` (exact, `prefix.*` or `*`). */
  on<T extends EventType>(pattern: T, handler: EventHandler<T>): Consumer;
  on(pattern: string, handler: EventHandler): Consumer;
  topics(): string[];
  /** The delivery endpoint; mounted before any JSON parser (it needs the raw body). */
  readonly router: Router;
  /** Registers (idempotently) this service's subscription and learns its signing secret. */
  register(nexus: Pick<NexusClient, 'subscribe'>, endpointBaseUrl: string): Promise<void>;
  /** For tests and for deployments that provision the secret out of band. */
  useSubscription(subscriptionId: string, secret: string): void;
}

export interface ConsumerOptions {
  service: string;
  pool: Pool;
  logger: Logger;
  clock: Clock;
  metrics?: Metrics;
  toleranceSeconds?: number;
}

export function createConsumer({
  service,
  pool,
  logger,
  clock,
  metrics,
  toleranceSeconds = 300,
}: ConsumerOptions): Consumer {
  const handlers: { pattern: string; handler: EventHandler }[] = [];
  let subscription: { id: string; secret: string } | undefined;
  const handled = metrics?.counter('bus_events_handled_total', 'Delivered events applied by this service', ['type']);
  const duplicates = metrics?.counter('bus_events_duplicate_total', 'Delivered events already applied (redeliveries)', [
    'type',
  ]);
  const rejected = metrics?.counter('bus_deliveries_rejected_total', 'Deliveries refused before any handler ran', [
    'reason',
  ]);

  /** Applies the batch; a deadlock or serialization failure (handlers lock rows in event order,
   * which may cross another transaction's order) is retried a few times before it is an error. */
  async function apply(received: Received[]): Promise<DeliveryResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await applyOnce(received);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
        logger.info({ attempt, code }, 'delivery batch hit a lock conflict; applying it again');
      }
    }
  }

  async function applyOnce(received: Received[]): Promise<DeliveryResponse> {
    const events = received.map((r) => r.event);
    return withTransaction(pool, async (tx) => {
      // Claim every id at once; ids already in the inbox come back missing: redeliveries.
      const { rows } = await tx.query<{ event_id: string }>(
        `INSERT INTO inbox (event_id, type) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [events.map((e) => e.id), events.map((e) => e.type)],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      let count = 0;
      let refused = 0;
      for (const { event, typed, foreign } of received) {
        if (!fresh.has(event.id)) {
          duplicates?.inc({ type: event.type });
          continue;
        }
        fresh.delete(event.id); // the same id twice in one batch applies once
        if (foreign) {
          refused += 1;
          rejected?.inc({ reason: 'foreign_source' });
          logger.error(
            { eventId: event.id, type: event.type, source: event.source, owner: eventOwner(event.type) },
            'refused an event whose source does not own its type',
          );
          continue;
        }
        const matching = typed ? handlers.filter(({ pattern }) => topicMatches(pattern, event.type)) : [];
        if (matching.length > 0) {
          // The handlers' work continues the trace of the request that published the event.
          await withSpan(
            `${event.type} process`,
            {
              kind: 'consumer',
              parent: event.traceparent,
              attributes: { 'azora.event.id': event.id, 'azora.event.source': event.source },
            },
            async () => {
              for (const { handler } of matching) await handler(typed as DeliveredEvent, tx);
            },
          );
        }
        handled?.inc({ type: event.type });
        count += 1;
      }
      return { handled: count, duplicates: events.length - count - refused, ...(refused > 0 ? { refused } : {}) };
    });
  }

  function parseBatch(raw: Buffer): Received[] {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new DomainError('request.malformed_json', 'The delivery is not valid JSON');
    }
    const batch = DeliveryRequest.safeParse(json);
    if (!batch.success) throw validationError(batch.error, 'body');
    if (batch.data.subscriptionId !== subscription?.id) {
      throw new DomainError(
        'bus.unknown_subscription',
        `This service does not own subscription ${batch.data.subscriptionId}`,
      );
    }
    return batch.data.events.map((event, index) => {
      if (!isEventType(event.type)) return { event, typed: null }; // acknowledged, nothing to apply
      // Nexus accepts a type only from its owner; a consumer checks again rather than trust one hop.
      if (!mayPublish(event.source, event.type)) return { event, typed: null, foreign: true };
      const data = EVENT_DATA[event.type].safeParse(event.data);
      if (!data.success) throw validationError(data.error, `body.events.${index}.data`);
      return { event, typed: { ...event, type: event.type, data: data.data } as DeliveredEvent };
    });
  }

  const router = Router();
  router.post(DELIVERY_PATH, express.raw({ type: () => true, limit: BUS_BODY_LIMIT_BYTES }), async (req, res, next) => {
    try {
      if (!subscription) {
        rejected?.inc({ reason: 'not_registered' });
        throw new DomainError('bus.not_registered', 'Not subscribed yet; deliver again shortly', {
          retryAfterSeconds: 1,
        });
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyDelivery(
        subscription.secret,
        raw,
        req.get(SIGNATURE_HEADER),
        Math.floor(clock.now().getTime() / 1000),
        toleranceSeconds,
      );
      if (!check.ok) {
        rejected?.inc({ reason: `signature_${check.reason}` });
        throw new DomainError(`bus.signature_${check.reason}` as const, `The delivery signature is ${check.reason}`);
      }
      const result = await apply(parseBatch(raw));
      res.json(result);
    } catch (error) {
      next(error);
    }
  });

  const consumer: Consumer = {
    on(pattern: string, handler: EventHandler) {
      handlers.push({ pattern, handler });
      return consumer;
    },
    topics: () => [...new Set(handlers.map((h) => h.pattern))],
    router,
    async register(nexus, endpointBaseUrl) {
      const registered = await nexus.subscribe({
        subscriber: service,
        topics: consumer.topics(),
        endpoint: `${endpointBaseUrl.replace(/\/+$/, '')}${DELIVERY_PATH}`,
      });
      if (!registered.secret) throw new Error('Nexus returned a subscription without its secret');
      subscription = { id: registered.id, secret: registered.secret };
      logger.info({ subscriptionId: registered.id, topics: registered.topics }, 'subscribed to Nexus');
    },
    useSubscription(id, secret) {
      subscription = { id, secret };
    },
  };
  return consumer;
}
