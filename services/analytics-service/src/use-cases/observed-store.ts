// Every write to the store, from clients or the bus, recorded the same way in the metrics:
// events stored and repeated, time taken, how far behind the roll-ups are, links made.
import type { EventSource, IngestOutcome, NewEvent } from '../domain/ports';
import type { AnalyticsContext } from './context';

/** Runs a store call and records what it did: events stored and repeated, time, lag, links. */
export async function storeObserved(
  ctx: AnalyticsContext,
  source: EventSource,
  events: readonly NewEvent[],
  store: () => Promise<IngestOutcome>,
): Promise<number> {
  const started = process.hrtime.bigint();
  const outcome = await store();
  const { metrics } = ctx;
  metrics.ingestDuration.observe({ source }, Number(process.hrtime.bigint() - started) / 1e9);
  metrics.ingested.inc({ source }, outcome.stored);
  metrics.duplicates.inc({ source }, events.length - outcome.stored);
  if (outcome.linked > 0) metrics.linked.inc(outcome.linked);
  if (outcome.stored > 0) {
    const newest = Math.max(...events.map((e) => e.timestamp.getTime()));
    metrics.rollupLag.observe({ source }, Math.max(0, ctx.clock.now().getTime() - newest) / 1000);
  }
  return outcome.stored;
}
