// The PostgreSQL backend of Nexus's storage and fan-out port: the log in `events` under the
// one-row counter lock, wake-ups by LISTEN/NOTIFY, subscriptions, their delivery state and dead
// letters in their tables. Everything is one database: the default NEXUS_BACKEND.
import type { Logger, Pool } from '@azora/service-kit';
import type { NexusBackend } from '../domain/ports';
import type { DeliverySettings } from '../domain/settings';
import { claimDeadLetter, listDeadLetters } from './dead-letters';
import { claimSubscription, findDue } from './deliveries';
import { createEventSignal } from './event-signal';
import { appendEvents, headSeq, readEvents } from './events';
import {
  deleteSubscription,
  findSubscription,
  listSubscriptions,
  readBacklog,
  upsertSubscription,
} from './subscriptions';

export interface PostgresBackendDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly settings: Pick<DeliverySettings, 'recoveryBaseMs' | 'recoveryMaxMs'>;
}

export function createPostgresBackend({ pool, logger, settings }: PostgresBackendDeps): NexusBackend {
  const listen = () =>
    createEventSignal({
      pool,
      logger,
      reconnectBaseMs: settings.recoveryBaseMs,
      reconnectMaxMs: settings.recoveryMaxMs,
    });
  return {
    kind: 'postgres',
    log: {
      append: (events) => appendEvents(pool, events),
      read: (filter) => readEvents(pool, filter),
      head: () => headSeq(pool),
      appended: listen(),
      listen,
    },
    subscriptions: {
      upsert: (input) => upsertSubscription(pool, input),
      list: (filter) => listSubscriptions(pool, filter),
      find: (id) => findSubscription(pool, id),
      remove: (id) => deleteSubscription(pool, id),
      backlog: () => readBacklog(pool),
    },
    deliveries: {
      findDue: (query) => findDue(pool, query),
      claim: (id, now) => claimSubscription(pool, id, now),
    },
    deadLetters: {
      list: (filter) => listDeadLetters(pool, filter),
      claim: (id) => claimDeadLetter(pool, id),
    },
  };
}
