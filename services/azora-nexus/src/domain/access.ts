// Who may call Nexus for what. Every route takes a service credential; on top of it:
// publishing is for the services that own event types, and an event is accepted only from the
// owner of its type (EVENT_OWNERS of the contracts) under its own name; a subscription and its
// dead letters belong to its subscriber, and the operator's tool (monitoring) sees and retries
// all of them; the whole log (replay, stream) is read by analytics and the operator only.
import { EVENT_OWNERS, SERVICES, eventOwner, type EventEnvelope, type ServiceName } from '@azora/contracts';

const NEXUS = 'azora-nexus';

/** The operator's tool: lists every subscription and dead letter, and retries any dead letter. */
export const OPERATOR = 'monitoring-service';

/** Services that own event types: the only ones with anything to publish. */
export const PUBLISHERS: readonly ServiceName[] = [...new Set(Object.values(EVENT_OWNERS))];

/** Every service of the catalog but Nexus: each may subscribe, itself only. */
export const SUBSCRIBERS: readonly ServiceName[] = SERVICES.map((s) => s.name).filter((name) => name !== NEXUS);

/** Readers of the whole log: analytics consumes every type anyway; the operator inspects it. */
export const LOG_READERS: readonly ServiceName[] = ['analytics-service', OPERATOR];

export type PublishingViolation =
  | { readonly index: number; readonly reason: 'source_mismatch'; readonly type: string; readonly source: string }
  | { readonly index: number; readonly reason: 'not_owner'; readonly type: string; readonly owner: string | undefined };

/** Every envelope of the batch that `caller` may not publish: one under another name, or of a
 * type another service owns. Empty when the whole batch may be appended. */
export function publishingViolations(caller: string, events: readonly EventEnvelope[]): PublishingViolation[] {
  const violations: PublishingViolation[] = [];
  events.forEach(({ type, source }, index) => {
    if (source !== caller) violations.push({ index, reason: 'source_mismatch', type, source });
    else if (eventOwner(type) !== caller)
      violations.push({ index, reason: 'not_owner', type, owner: eventOwner(type) });
  });
  return violations;
}

/** Whose records a listing shows: the operator's choice (every subscriber when none is asked
 * for), anyone else's own; null when the caller asked for another subscriber's. */
export function listedSubscriber(caller: string, asked: string | undefined): string | undefined | null {
  if (caller === OPERATOR) return asked;
  if (asked !== undefined && asked !== caller) return null;
  return caller;
}

/** Whether `caller` may act on a record of `subscriber` (retry its dead letter). */
export function mayActFor(caller: string, subscriber: string): boolean {
  return caller === subscriber || caller === OPERATOR;
}
