// The NATS JetStream backend of Nexus's storage and fan-out port (NEXUS_BACKEND=nats). The event
// log is a JetStream stream and each subscription reads it through a durable consumer of its own;
// what stays in PostgreSQL is small and per subscription, never per event: the subscriptions
// with their secrets, their delivery state (the position, attempts, the next retry: the claim
// that keeps one instance at a time on a subscription), and the dead letters, listed and
// retried by hand, each with a copy of its event.
import type { Logger, Pool } from '@azora/service-kit';
import { claimDeadLetter, listDeadLetters } from '../db/dead-letters';
import {
  deleteSubscription,
  findSubscription,
  listSubscriptions,
  readBacklog,
  upsertSubscription,
} from '../db/subscriptions';
import type { NexusBackend } from '../domain/ports';
import type { DeliverySettings } from '../domain/settings';
import { createSubscriptionConsumers } from './consumers';
import { createNatsDeliveries } from './deliveries';
import { createNatsEventLog } from './event-log';
import type { NatsStream } from './stream';
import { orUnavailable } from './unavailable';

export interface NatsBackendDeps {
  readonly pool: Pool;
  readonly stream: NatsStream;
  readonly logger: Logger;
  readonly settings: Pick<DeliverySettings, 'batchSize' | 'timeoutMs'>;
}

/** Pulled messages stay with their puller at least this long; a longer delivery timeout extends it. */
const MIN_ACK_WAIT_MS = 5 * 60_000;

export function createNatsBackend({ pool, stream, logger, settings }: NatsBackendDeps): NexusBackend {
  const consumers = createSubscriptionConsumers(stream, {
    batchSize: settings.batchSize,
    ackWaitMs: Math.max(MIN_ACK_WAIT_MS, settings.timeoutMs * 2),
  });
  return {
    kind: 'nats',
    log: createNatsEventLog(stream),
    subscriptions: {
      async upsert(input) {
        const head = input.from === 'now' ? await orUnavailable(stream.head()) : undefined;
        return upsertSubscription(pool, { ...input, ...(head === undefined ? {} : { head }) });
      },
      list: (filter) => listSubscriptions(pool, filter),
      find: (id) => findSubscription(pool, id),
      async remove(id) {
        const removed = await deleteSubscription(pool, id);
        // A consumer left behind reads nothing and costs little: the deletion stands either way.
        if (removed)
          await consumers
            .remove(id)
            .catch((error: unknown) =>
              logger.warn({ err: error, subscriptionId: id }, 'could not delete the subscription consumer'),
            );
        return removed;
      },
      backlog: async () => readBacklog(pool, await stream.head()),
    },
    deliveries: createNatsDeliveries({ pool, stream, consumers, logger }),
    deadLetters: {
      list: (filter) => listDeadLetters(pool, filter),
      claim: (id) => claimDeadLetter(pool, id),
    },
  };
}
