// Events delivered to a service under test exactly as Nexus delivers them: signed batches to its
// delivery endpoint, each event stamped with its owner as source unless the test says otherwise.
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { eventOwner, type EventData, type EventType, type StoredEvent } from '@azora/contracts';
import { DELIVERY_PATH, signDelivery, type Clock, type Consumer } from '@azora/service-kit';

export interface TestDeliveries {
  /** An event of `type` as Nexus stores it; `source` is the type's owner unless overridden. */
  event<T extends EventType>(type: T, data: EventData<T>, overrides?: Partial<StoredEvent>): StoredEvent;
  /** POSTs the events as one signed delivery; the response tells what the service made of it. */
  deliver(events: StoredEvent[]): request.Test;
}

/** Subscribes `consumer` to a test subscription and delivers to `app` (an app or a base URL). */
export function createTestDeliveries(
  consumer: Pick<Consumer, 'useSubscription'>,
  app: RequestListener | string,
  { clock }: { clock?: Clock } = {},
): TestDeliveries {
  const subscriptionId = randomUUID();
  const secret = `test-subscription-${randomUUID()}`;
  consumer.useSubscription(subscriptionId, secret);
  const now = () => clock?.now() ?? new Date();
  let seq = 0;
  return {
    event(type, data, overrides = {}) {
      seq += 1;
      return {
        id: randomUUID(),
        seq,
        type,
        source: eventOwner(type) ?? 'unknown',
        occurredAt: now().toISOString(),
        receivedAt: now().toISOString(),
        data: data as Record<string, unknown>,
        ...overrides,
      };
    },
    deliver(events) {
      const body = JSON.stringify({ subscriptionId, events });
      return request(app)
        .post(DELIVERY_PATH)
        .set('content-type', 'application/json')
        .set('azora-signature', signDelivery(secret, body, Math.floor(now().getTime() / 1000)))
        .send(body);
    },
  };
}
