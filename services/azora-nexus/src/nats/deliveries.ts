// Delivery claims of the JetStream backend. The subscription's row in PostgreSQL is held for the
// attempt as in the PostgreSQL backend (FOR UPDATE SKIP LOCKED), so one instance at a time pulls
// a subscription's consumer and its events go out in order; attempts, back-off and dead letters
// are recorded there too. The events come from the subscription's consumer. Before the row is
// written, the messages are settled: those delivered acknowledged (cumulatively), the others
// given back (nak) to come again first. The recorded position is the truth: when the consumer
// does not continue right after it (an instance stopped mid-attempt with messages pulled, or an
// acknowledgement went through while the row's update did not), the consumer is re-created at
// the position, and delivery resumes exactly there.
import type { JsMsg } from 'nats';
import { topicMatches, type StoredEvent } from '@azora/contracts';
import type { Logger, Pool } from '@azora/service-kit';
import { findDue, holdSubscription, type HeldSubscription } from '../db/deliveries';
import type { DeliveryStore, SubscriptionClaim } from '../domain/ports';
import type { SubscriptionConsumers } from './consumers';
import { storedEventOf } from './messages';
import type { NatsStream } from './stream';

export interface NatsDeliveriesDeps {
  readonly pool: Pool;
  readonly stream: NatsStream;
  readonly consumers: SubscriptionConsumers;
  readonly logger: Logger;
}

/** Whether the messages continue the log right after `position` up to its head as it was when
 * the claim was taken: those at or below the position were already recorded. */
function continuesAt(messages: readonly JsMsg[], position: number, head: number): boolean {
  let expected = position + 1;
  for (const { seq } of messages) {
    if (seq <= position) continue;
    if (seq !== expected) return false;
    expected += 1;
  }
  return expected > position + 1 || head <= position;
}

const NAK = new TextEncoder().encode('-NAK');

function natsClaim(held: HeldSubscription, head: number, deps: NatsDeliveriesDeps): SubscriptionClaim {
  const { subscription } = held;
  const { consumers, stream } = deps;
  let pulled: JsMsg[] = [];

  async function pullInOrder(): Promise<JsMsg[]> {
    const first = await consumers.pull(subscription.id, subscription.position);
    if (continuesAt(first.messages, subscription.position, head)) return first.messages;
    deps.logger.warn(
      { subscriptionId: subscription.id, position: subscription.position, head, pulled: first.messages[0]?.seq },
      'the subscription consumer does not continue at the recorded position; re-creating it there',
    );
    await consumers.reset(subscription.id, subscription.position);
    const again = await consumers.pull(subscription.id, subscription.position);
    if (!continuesAt(again.messages, subscription.position, head))
      throw new Error(`the stream has no events after seq ${subscription.position} up to ${head}`);
    return again.messages;
  }

  /** Acknowledges `through` (and everything before it), gives back the rest in seq order, and
   * waits until the server has taken all of it, so the next pull, by any instance, sees it. */
  async function settle(through: number | null): Promise<void> {
    const kept = through === null ? [] : pulled.filter((m) => m.seq <= through);
    const given = through === null ? pulled : pulled.filter((m) => m.seq > through);
    pulled = [];
    const last = kept[kept.length - 1];
    if (last) {
      for (const message of given) message.nak();
      if (!(await last.ackAck())) throw new Error(`JetStream did not take the acknowledgement of seq ${last.seq}`);
      return;
    }
    const final = given.pop();
    for (const message of given) message.nak();
    // A nak sent as a request is answered once the consumer has taken it (JsMsg has no awaited nak).
    if (final) await stream.nc.request((final as JsMsg & { reply: string }).reply, NAK);
  }

  return {
    subscription,
    head,
    async pendingEvents({ limit }) {
      pulled = await pullInOrder();
      const events: StoredEvent[] = [];
      let scannedThrough = subscription.position;
      for (const message of pulled) {
        if (message.seq <= subscription.position) continue;
        const event = storedEventOf(message);
        if (subscription.topics.some((topic) => topicMatches(topic, event.type))) {
          if (events.length === limit) break;
          events.push(event);
        }
        scannedThrough = message.seq;
      }
      return { events, scannedThrough };
    },
    async acknowledge(position) {
      await settle(position);
      await held.acknowledge(position);
    },
    async fail(failure) {
      await settle(null);
      await held.fail(failure);
    },
    async deadLetter(dead) {
      await settle(dead.event.seq);
      await held.deadLetter(dead);
    },
    async release() {
      try {
        await settle(null);
      } catch (error) {
        deps.logger.warn({ err: error, subscriptionId: subscription.id }, 'could not give pulled events back');
      }
      await held.release();
    },
  };
}

export function createNatsDeliveries(deps: NatsDeliveriesDeps): DeliveryStore {
  const { pool, stream } = deps;
  return {
    findDue: async (query) => findDue(pool, { ...query, head: await stream.head() }),
    async claim(subscriptionId, now) {
      const held = await holdSubscription(pool, subscriptionId, now);
      if (!held) return null;
      try {
        return natsClaim(held, await stream.head(), deps);
      } catch (error) {
        await held.release();
        throw error;
      }
    },
  };
}
