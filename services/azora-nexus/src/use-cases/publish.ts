// Publishing: a batch whose every envelope was parsed against its type's schema is appended to
// the log only when the caller may publish all of it (each event under the caller's own name,
// of a type the caller owns); otherwise nothing of it is appended, and the refusal is logged
// and counted. What was appended is counted by type, duplicates by source.
import type { EventEnvelope, PublishResponse } from '@azora/contracts';
import { publishingViolations } from '../domain/access';
import { notOwner, sourceMismatch } from '../domain/errors';
import { toPublishResponse } from '../domain/views';
import type { NexusMetrics } from '../metrics';
import type { Caller, NexusContext } from './context';

export async function publishEvents(
  ctx: Pick<NexusContext, 'log' | 'logger' | 'metrics'>,
  caller: Caller,
  events: readonly EventEnvelope[],
): Promise<PublishResponse> {
  refuseWhatTheCallerMayNotPublish(ctx, caller, events);
  const appended = await ctx.log.append(events);
  // A measurement, not a decision: the wall clock, as occurredAt was.
  recordPublished(ctx.metrics, events, appended, Date.now());
  return toPublishResponse(appended);
}

function refuseWhatTheCallerMayNotPublish(
  ctx: Pick<NexusContext, 'logger' | 'metrics'>,
  caller: Caller,
  events: readonly EventEnvelope[],
): void {
  const violations = publishingViolations(caller.service, events);
  const first = violations[0];
  if (!first) return;
  for (const { type, reason } of violations) ctx.metrics.refused.inc({ caller: caller.service, type, reason });
  ctx.logger.warn(
    {
      caller: caller.service,
      requestId: caller.requestId,
      refused: violations.length,
      events: events.length,
      types: [...new Set(violations.map((v) => v.type))],
      reasons: [...new Set(violations.map((v) => v.reason))],
    },
    'publish refused: the batch holds events the caller may not publish; nothing of it was appended',
  );
  throw first.reason === 'source_mismatch'
    ? sourceMismatch(first.index, first.source, caller.service)
    : notOwner(first.index, first.type, first.owner, caller.service);
}

/** Counts what was new (by type), what was a duplicate, and each new event's outbox lag. */
function recordPublished(
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
