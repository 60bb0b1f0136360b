// One durable pull consumer per subscription (`nexus-<subscription id>`), over every event of the
// stream, acknowledged cumulatively (AckPolicy.All: acknowledging seq N acknowledges everything up
// to N). It is created, when missing, at the subscription's recorded position, and re-created
// there when it went astray. Its max_batch is the batch every pull asks for, and max_ack_pending
// twice that, so a pull never waits on the cap and always takes every message given back before
// it: what is returned (nak) comes again first, in order.
import { AckPolicy, DeliverPolicy, ReplayPolicy, nanos, type JsMsg } from 'nats';
import type { NatsStream } from './stream';
import { pullNow } from './messages';

export interface ConsumerSettings {
  /** Messages per pull: the most events one delivery can carry. */
  readonly batchSize: number;
  /** How long a pulled message stays with its puller before JetStream offers it again. */
  readonly ackWaitMs: number;
}

export interface SubscriptionConsumers {
  /** The next messages of the subscription's consumer, created after `position` when missing. */
  pull(subscriptionId: string, position: number): Promise<{ messages: JsMsg[]; cutShort: boolean }>;
  /** Deletes and re-creates the consumer so that it delivers everything after `position` again. */
  reset(subscriptionId: string, position: number): Promise<void>;
  remove(subscriptionId: string): Promise<void>;
}

const NOT_FOUND = 10014; // JetStream's "consumer not found"

export const consumerName = (subscriptionId: string) => `nexus-${subscriptionId}`;

function isNotFound(error: unknown): boolean {
  return (error as { api_error?: { err_code?: number } }).api_error?.err_code === NOT_FOUND;
}

export function createSubscriptionConsumers(stream: NatsStream, settings: ConsumerSettings): SubscriptionConsumers {
  /** Consumers known to exist, with their batch. */
  const batches = new Map<string, number>();

  async function create(subscriptionId: string, position: number): Promise<number> {
    const info = await stream.jsm.consumers.add(stream.name, {
      durable_name: consumerName(subscriptionId),
      ack_policy: AckPolicy.All,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: position + 1,
      filter_subject: stream.eventSubjects,
      // Dead letters are Nexus's decision (a subscriber's 503 never counts), not JetStream's.
      max_deliver: -1,
      ack_wait: nanos(settings.ackWaitMs),
      max_batch: settings.batchSize,
      max_ack_pending: settings.batchSize * 2,
      replay_policy: ReplayPolicy.Instant,
    });
    return info.config.max_batch ?? settings.batchSize;
  }

  async function ensure(subscriptionId: string, position: number): Promise<number> {
    const known = batches.get(subscriptionId);
    if (known !== undefined) return known;
    let batch: number;
    try {
      const info = await stream.jsm.consumers.info(stream.name, consumerName(subscriptionId));
      batch = info.config.max_batch ?? settings.batchSize;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      batch = await create(subscriptionId, position);
    }
    batches.set(subscriptionId, batch);
    return batch;
  }

  async function remove(subscriptionId: string): Promise<void> {
    batches.delete(subscriptionId);
    try {
      await stream.jsm.consumers.delete(stream.name, consumerName(subscriptionId));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  return {
    async pull(subscriptionId, position) {
      const batch = await ensure(subscriptionId, position);
      const pulled = await pullNow(stream, consumerName(subscriptionId), batch);
      if (!pulled.cutShort || pulled.messages.length > 0) return pulled;
      // Left open with nothing: the consumer may have been deleted under us; look again.
      batches.delete(subscriptionId);
      return pullNow(stream, consumerName(subscriptionId), await ensure(subscriptionId, position));
    },
    async reset(subscriptionId, position) {
      await remove(subscriptionId);
      batches.set(subscriptionId, await create(subscriptionId, position));
    },
    remove,
  };
}
