// Turning what arrives into events to store: a client's tracked events (the user from the
// token, an id for those sent without one, repeats within the batch dropped) and bus events
// (stored under their own type, counted for the person who acted, if anyone did).
import type { EventData, EventType } from '@azora/contracts';
import type { EventSource, NewEvent } from './ports';

/** A tracked event as the contract parses it (properties defaulted). */
export interface ParsedTrackedEvent {
  readonly id?: string | undefined;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly timestamp: string;
  readonly anonymousId?: string | undefined;
}

export interface ClientBatch {
  readonly events: readonly ParsedTrackedEvent[];
  /** The signed-in caller, when the request carried a valid token. */
  readonly userId: string | null;
  readonly receivedAt: Date;
  /** Makes ids for events sent without one. */
  readonly newId: () => string;
}

/** Indexes of events that say nothing about who sent them (no user, no anonymous id). */
export function eventsWithoutPerson(batch: Pick<ClientBatch, 'events' | 'userId'>): number[] {
  if (batch.userId) return [];
  return batch.events.flatMap((event, index) => (event.anonymousId ? [] : [index]));
}

export function clientEvents({ events, userId, receivedAt, newId }: ClientBatch): NewEvent[] {
  return events.map((event) => ({
    id: event.id ?? newId(),
    name: event.name,
    timestamp: new Date(event.timestamp),
    source: 'client' as EventSource,
    userId,
    anonymousId: event.anonymousId ?? null,
    properties: event.properties,
    receivedAt,
  }));
}

/** The batch without repeats: an event is its id and timestamp, and the first of a kind stays. */
export function withoutRepeats(events: readonly NewEvent[]): NewEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = `${event.timestamp.getTime()}|${event.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Actor<T extends EventType> = (data: EventData<T>, subject: string | null) => string | null;

/**
 * Who acted, per bus event type: that person is counted as active and can enter funnels.
 * Things the platform does to someone (a notification sent, a reward minted, a refund granted)
 * are stored and counted, but make nobody active.
 */
const ACTORS: { [T in EventType]: Actor<T> } = {
  'identity.user.registered': (d) => d.userId,
  // The instructor: the event's subject, as the data does not name them.
  'education.course.published': (_d, subject) => subject,
  'education.enrollment.created': (d) => d.userId,
  'education.lesson.completed': (d) => d.userId,
  'education.course.completed': (d) => d.userId,
  'mint.transfer.completed': (d) => (d.kind === 'transfer' ? d.from : null),
  'forge.job.posted': (d) => d.employerId,
  'forge.application.status_changed': (d) => (d.status === 'applied' ? d.userId : null),
  'forge.job.completed': (d) => d.employerId,
  'pay.payment.succeeded': (d) => d.userId,
  'pay.payment.failed': (d) => d.userId,
  'pay.payment.refunded': () => null,
  'ai.conversation.message': (d) => d.userId,
  'notification.delivered': () => null,
  'notification.failed': () => null,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeliveredBusEvent<T extends EventType = EventType> {
  readonly id: string;
  readonly type: T;
  readonly occurredAt: string;
  readonly subject?: string | undefined;
  readonly data: EventData<T>;
}

export function actorOf<T extends EventType>(event: DeliveredBusEvent<T>): string | null {
  const actor = ACTORS[event.type](event.data, event.subject ?? null);
  return actor !== null && UUID.test(actor) ? actor.toLowerCase() : null;
}

export function busEvent<T extends EventType>(event: DeliveredBusEvent<T>, receivedAt: Date): NewEvent {
  return {
    id: event.id,
    name: event.type,
    timestamp: new Date(event.occurredAt),
    source: 'bus',
    userId: actorOf(event),
    anonymousId: null,
    properties: event.data as Record<string, unknown>,
    receivedAt,
  };
}
