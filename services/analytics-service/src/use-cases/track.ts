// Ingesting what clients track: a batch is checked whole (the schema has refused bad events
// by index already; here, events nobody can be counted for), repeats dropped, then stored in
// one statement; the roller brings the roll-ups up to date shortly after.
import { randomUUID } from 'node:crypto';
import type { TrackResult } from '@azora/contracts';
import { anonymousIdRequired } from '../domain/errors';
import { clientEvents, eventsWithoutPerson, withoutRepeats, type ParsedTrackedEvent } from '../domain/incoming-events';
import type { AnalyticsContext } from './context';
import { storeObserved } from './observed-store';

export async function trackBatch(
  ctx: AnalyticsContext,
  caller: { userId: string | null },
  tracked: readonly ParsedTrackedEvent[],
): Promise<TrackResult> {
  const unattributed = eventsWithoutPerson({ events: tracked, userId: caller.userId });
  if (unattributed.length > 0) throw anonymousIdRequired(unattributed);
  const events = withoutRepeats(
    clientEvents({ events: tracked, userId: caller.userId, receivedAt: ctx.clock.now(), newId: randomUUID }),
  );
  const stored = await storeObserved(ctx, 'client', events, () => ctx.store.ingest(events));
  return { received: tracked.length, stored, duplicates: tracked.length - stored };
}
