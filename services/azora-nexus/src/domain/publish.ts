// The rules of publishing: every envelope's data must match its registered type (or nothing of
// the batch is written), a service publishes only as itself, and what was accepted is counted.
import { z } from 'zod';
import { KnownEvent, PublishRequest, type EventEnvelope, type PublishResponse } from '@azora/contracts';
import { DomainError } from '@azora/service-kit';
import type { NexusMetrics } from '../metrics';

/** PublishRequest with each envelope's data parsed against the schema of its type. */
export const KnownPublishRequest = PublishRequest.extend({ events: z.array(KnownEvent).min(1).max(1000) });

export function assertPublishedBy(caller: string, events: readonly EventEnvelope[]): void {
  const foreign = events.findIndex((event) => event.source !== caller);
  if (foreign === -1) return;
  throw new DomainError(
    'events.source_mismatch',
    `events.${foreign}.source is "${events[foreign]?.source}" but the caller is ${caller}: a service publishes only its own events`,
  );
}

export function publishResponse(appended: ReadonlyArray<{ id: string; seq: number; fresh: boolean }>): PublishResponse {
  const accepted = appended.filter((e) => e.fresh).length;
  return { accepted, duplicates: appended.length - accepted, events: appended.map(({ id, seq }) => ({ id, seq })) };
}

/** Counts what was new (by type), what was a duplicate, and each new event's outbox lag. */
export function recordPublished(
  metrics: NexusMetrics,
  events: readonly EventEnvelope[],
  appended: ReadonlyArray<{ fresh: boolean }>,
  receivedAt: number,
): void {
  const received = new Map<string, number>();
  let duplicates = 0;
  events.forEach((event, index) => {
    if (!appended[index]?.fresh) {
      duplicates += 1;
      return;
    }
    received.set(event.type, (received.get(event.type) ?? 0) + 1);
    metrics.publishLag.observe({ source: event.source }, Math.max(0, receivedAt - Date.parse(event.occurredAt)) / 1000);
  });
  const source = events[0]?.source ?? 'unknown';
  for (const [type, count] of received) metrics.received.inc({ type, source }, count);
  if (duplicates > 0) metrics.duplicates.inc({ source }, duplicates);
}
