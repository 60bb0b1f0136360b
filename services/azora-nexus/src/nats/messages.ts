// Events as JetStream messages: the envelope as JSON (every field it has passes through), the
// stream sequence as its seq and the stream's timestamp as its receivedAt; and pulling what a
// consumer has now, bounded, since nats-server 2.9 leaves a no-wait pull open when the consumer
// is missing or at its max_ack_pending.
import { JSONCodec, type JsMsg } from 'nats';
import type { EventEnvelope, StoredEvent } from '@azora/contracts';
import type { NatsStream } from './stream';

const json = JSONCodec<EventEnvelope>();

export function encodeEvent(event: EventEnvelope): Uint8Array {
  return json.encode(event);
}

export function storedEventOf(message: JsMsg): StoredEvent {
  return {
    ...json.decode(message.data),
    seq: message.seq,
    receivedAt: new Date(Math.floor(message.info.timestampNanos / 1e6)).toISOString(),
  };
}

/** How long a pull may stay open: the server answers a healthy one at once. */
const PULL_BOUND_MS = 1_000;

/** Up to `batch` messages the consumer has for us now; `cutShort` when the server left the pull
 * open and it was ended after PULL_BOUND_MS. */
export async function pullNow(
  stream: Pick<NatsStream, 'js' | 'name'>,
  consumer: string,
  batch: number,
): Promise<{ messages: JsMsg[]; cutShort: boolean }> {
  const pull = stream.js.fetch(stream.name, consumer, { batch, no_wait: true });
  let cutShort = false;
  const timer = setTimeout(() => {
    cutShort = true;
    pull.stop();
  }, PULL_BOUND_MS);
  const messages: JsMsg[] = [];
  try {
    for await (const message of pull) messages.push(message);
  } finally {
    clearTimeout(timer);
  }
  return { messages, cutShort };
}
