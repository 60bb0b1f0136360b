// Every write to the store, from clients or the bus, recorded the same way in the metrics:
// events stored and repeated, time taken.
import type { EventSource, IngestOutcome, NewEvent } from '../domain/ports';
import type { AnalyticsContext } from './context';

/** Runs a store call and records what it did: events stored and repeated, time taken. */
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
  return outcome.stored;
}
