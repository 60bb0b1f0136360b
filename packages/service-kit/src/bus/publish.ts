// Publishing: an event is written to the service's own outbox inside the caller's transaction,
// so it exists exactly when the state change it describes does. The relay sends it on.
import { randomUUID } from 'node:crypto';
import { EVENT_DATA, type EventData, type EventType } from '@azora/contracts';
import type { Clock } from '../clock';
import type { Queryable } from '../db/pool';

export interface PublishMeta {
  /** The user the event is about, when there is one. */
  subject?: string | undefined;
  requestId?: string | undefined;
}

export type Publish = <T extends EventType>(tx: Queryable, type: T, data: EventData<T>, meta?: PublishMeta) => Promise<string>;

/** Data that does not match its type's schema is a bug in the publisher: it is never written. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

export function createPublisher({ clock }: { schema?: string; clock: Clock }): Publish {
  return async (tx, type, data, meta = {}) => {
    const schemaOfType = EVENT_DATA[type];
    if (!schemaOfType) throw new InvalidEventError(`"${String(type)}" is not an event type of the catalog`);
    const parsed = schemaOfType.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`).join('; ');
      throw new InvalidEventError(`${type} event data is invalid: ${issues}`);
    }
    const id = randomUUID();
    await tx.query(
      `INSERT INTO outbox (id, type, subject, request_id, data, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, type, meta.subject ?? null, meta.requestId ?? null, JSON.stringify(parsed.data), clock.now()],
    );
    // The outbox's trigger NOTIFYs outbox_<schema> on COMMIT, waking the relay at once.
    return id;
  };
}
