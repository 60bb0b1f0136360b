// The event log in a JetStream stream. Appending publishes each envelope on its type's subject
// with the event id as Nats-Msg-Id: the stream refuses an id it has seen within its duplicate
// window and answers with the sequence it already has, and its sequence is gap-free (a duplicate
// takes none). One connection writes in order, so a batch keeps its order. Reading a range goes
// through a short-lived consumer starting after the seq asked for.
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { topicMatches, type EventEnvelope, type StoredEvent } from '@azora/contracts';
import { eventTooLarge } from '../domain/errors';
import type { AppendedEvent, EventLog, LogFilter } from '../domain/ports';
import { encodeEvent, pullNow, storedEventOf } from './messages';
import { createNatsSignal } from './signal';
import type { NatsStream } from './stream';
import { orUnavailable } from './unavailable';

/** A topic the subject filter can express: `*`, `a.b` or `a.b.*`; anything else matches no type. */
const TOPIC = /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/;

function subjectFilter(stream: Pick<NatsStream, 'name'>, topic: string): string {
  if (topic === '*') return `${stream.name}.event.>`;
  if (topic.endsWith('.*')) return `${stream.name}.event.${topic.slice(0, -2)}.>`;
  return `${stream.name}.event.${topic}`;
}

/** Room for the Nats-Msg-Id header, which counts toward the server's max_payload. */
const HEADER_ROOM = 256;

/** The batch refused before anything of it is published when one event is too large for one message. */
function refuseOversized(stream: NatsStream, payloads: readonly Uint8Array[]): void {
  const limit = stream.nc.info?.max_payload;
  if (limit === undefined) return;
  const index = payloads.findIndex((p) => p.length + HEADER_ROOM > limit);
  if (index >= 0) throw eventTooLarge(index, payloads[index]?.length ?? 0, limit - HEADER_ROOM);
}

async function append(stream: NatsStream, events: readonly EventEnvelope[]): Promise<AppendedEvent[]> {
  const payloads = events.map(encodeEvent);
  refuseOversized(stream, payloads);
  const acks = await Promise.allSettled(
    events.map((event, index) => stream.js.publish(stream.subjectOf(event.type), payloads[index], { msgID: event.id })),
  );
  const appended: AppendedEvent[] = [];
  let lastFresh = 0;
  acks.forEach((ack, index) => {
    if (ack.status !== 'fulfilled') return;
    appended.push({ id: events[index]?.id ?? '', seq: ack.value.seq, fresh: !ack.value.duplicate });
    if (!ack.value.duplicate) lastFresh = Math.max(lastFresh, ack.value.seq);
  });
  // Readers are woken for whatever was stored, even when part of the batch failed: the
  // publisher retries the whole batch and the stored part comes back as duplicates.
  if (lastFresh > 0) stream.nc.publish(stream.appendedSubject, String(lastFresh));
  const failed = acks.find((ack) => ack.status === 'rejected');
  if (failed) throw failed.reason;
  return appended;
}

/** Stored events after `after` whose type matches `types`, in seq order, at most `limit`. A
 * single topic is filtered by the server (a subject filter); several by reading every event
 * after `after` (nats-server 2.9 takes one filter per consumer). */
async function read(stream: NatsStream, { after, types, limit }: LogFilter): Promise<StoredEvent[]> {
  const topics = types.filter((t) => TOPIC.test(t));
  if (types.length > 0 && topics.length === 0) return [];
  const only = topics.length === 1 ? topics[0] : undefined;
  const { name } = await stream.jsm.consumers.add(stream.name, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: after + 1,
    filter_subject: only === undefined ? stream.eventSubjects : subjectFilter(stream, only),
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(60_000),
  });
  const chunk = Math.min(1_000, Math.max(limit, 100));
  const events: StoredEvent[] = [];
  try {
    for (;;) {
      const { messages, cutShort } = await pullNow(stream, name, chunk);
      if (cutShort) throw new Error(`reading the stream after seq ${after} did not finish`);
      for (const message of messages) {
        const event = storedEventOf(message);
        if (types.length > 0 && !types.some((t) => topicMatches(t, event.type))) continue;
        events.push(event);
        if (events.length === limit) return events;
      }
      if (messages.length < chunk) return events;
    }
  } finally {
    // Left alone, it would go after a minute of inactivity anyway.
    stream.jsm.consumers.delete(stream.name, name).catch(() => undefined);
  }
}

export function createNatsEventLog(stream: NatsStream): EventLog {
  const listen = () => createNatsSignal(stream);
  return {
    append: (events) => orUnavailable(append(stream, events)),
    read: (filter) => orUnavailable(read(stream, filter)),
    head: () => orUnavailable(stream.head()),
    appended: listen(),
    listen,
  };
}
