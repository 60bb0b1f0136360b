// Publishing: an event is written to the service's own outbox inside the caller's transaction,
// so it exists exactly when the state change it describes does. The relay sends it on.
import { randomUUID } from 'node:crypto';
import { EVENT_DATA, type EventData, type EventType } from '@azora/contracts';
import type { Clock } from '../clock';
import { afterCommit, type Queryable } from '../db/pool';
import type { OutboxSignal } from './outbox-signal';
import { currentTraceparent } from '../tracing/bridge';

export interface PublishMeta {
  /** The user the event is about, when there is one. */
  subject?: string | undefined;
  requestId?: string | undefined;
}

export interface PendingEvent<T extends EventType = EventType> {
  type: T;
  data: EventData<T>;
  meta?: PublishMeta;
}

export interface Publish {
  /** Writes one event to the outbox in `tx`; returns its id. */
  <T extends EventType>(tx: Queryable, type: T, data: EventData<T>, meta?: PublishMeta): Promise<string>;
  /** Writes many events in one statement (one round trip), in order; returns their ids. */
  many(tx: Queryable, events: readonly PendingEvent[]): Promise<string[]>;
}

/** Data that does not match its type's schema is a bug in the publisher: it is never written. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** The event's data parsed with the schema of its type; throws InvalidEventError otherwise. */
export function validateEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
  const schemaOfType = EVENT_DATA[type];
  if (!schemaOfType) throw new InvalidEventError(`"${String(type)}" is not an event type of the catalog`);
  const parsed = schemaOfType.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidEventError(`${type} event data is invalid: ${issues}`);
  }
  return parsed.data as EventData<T>;
}

export function createPublisher({ clock, signal }: { clock: Clock; signal?: OutboxSignal }): Publish {
  // Once the caller's transaction commits, the relay is woken to send the new rows at once.
  const wake = () => signal?.written();
  const many = async (tx: Queryable, events: readonly PendingEvent[]): Promise<string[]> => {
    if (events.length === 0) return [];
    // Validate everything before writing anything.
    const rows = events.map((e) => ({
      id: randomUUID(),
      type: e.type,
      data: JSON.stringify(validateEventData(e.type, e.data)),
      meta: e.meta ?? {},
    }));
    const now = clock.now();
    await tx.query(
      `INSERT INTO outbox (id, type, subject, request_id, data, occurred_at, traceparent)
       SELECT id, type, subject, request_id, data::jsonb, $6, $7 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
         WITH ORDINALITY AS e(id, type, subject, request_id, data, n) ORDER BY n`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.meta.subject ?? null),
        rows.map((r) => r.meta.requestId ?? null),
        rows.map((r) => r.data),
        now,
        currentTraceparent() ?? null,
      ],
    );
    afterCommit(tx, wake);
    return rows.map((r) => r.id);
  };
  const publish = async <T extends EventType>(
    tx: Queryable,
    type: T,
    data: EventData<T>,
    meta: PublishMeta = {},
  ): Promise<string> => {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO outbox (id, type, subject, request_id, data, occurred_at, traceparent) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        type,
        meta.subject ?? null,
        meta.requestId ?? null,
        JSON.stringify(validateEventData(type, data)),
        clock.now(),
        currentTraceparent() ?? null,
      ],
    );
    afterCommit(tx, wake);
    return id;
  };
  return Object.assign(publish, { many });
}
