// Analytics's domain metrics, registered on the service's registry next to the HTTP metrics.
import type { Metrics } from '@azora/service-kit';

const SOURCES = ['client', 'bus'] as const;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600];

export function analyticsMetrics(metrics: Metrics) {
  const ingested = metrics.counter(
    'analytics_events_ingested_total',
    'Events stored, by where they came from (client batches or the bus)',
    ['source'],
  );
  const duplicates = metrics.counter(
    'analytics_events_duplicate_total',
    'Events received again (same id and timestamp) and not stored twice',
    ['source'],
  );
  const batchesRejected = metrics.counter(
    'analytics_batches_rejected_total',
    'Track batches refused whole: invalid (400) or too large (413)',
    ['reason'],
  );
  const busSkipped = metrics.counter(
    'analytics_bus_events_skipped_total',
    'Bus events acknowledged but not stored: older than raw retention, or ahead of the clock',
    ['reason'],
  );
  // Every series exists from the start, so dashboards and rate() see a 0 rather than nothing.
  for (const source of SOURCES) {
    ingested.inc({ source }, 0);
    duplicates.inc({ source }, 0);
  }
  for (const reason of ['invalid', 'too_large']) batchesRejected.inc({ reason }, 0);
  for (const reason of ['expired', 'future']) busSkipped.inc({ reason }, 0);
  return {
    ingested,
    duplicates,
    batchesRejected,
    busSkipped,
    ingestDuration: metrics.histogram(
      'analytics_ingest_duration_seconds',
      'Time to store a batch of raw events and queue it for the roll-ups, retries included',
      ['source'],
      SECONDS,
    ),
    rollupLag: metrics.gauge(
      'analytics_rollup_lag_seconds',
      'Age of the oldest stored batch not yet in the roll-ups (0 when they are up to date): how far reports lag',
    ),
    rollupPending: metrics.gauge('analytics_rollup_pending_batches', 'Stored batches not yet in the roll-ups'),
    rollupDelay: metrics.histogram(
      'analytics_rollup_delay_seconds',
      'From a batch being stored until the roll-ups counting it committed',
      [],
      LAG_SECONDS,
    ),
    rollupDuration: metrics.histogram(
      'analytics_rollup_duration_seconds',
      'Time of one roll-up transaction (up to 50 batches at once)',
      [],
      SECONDS,
    ),
    timelineDays: metrics.counter(
      'analytics_timeline_summarized_total',
      'UTC days summarized into the funnel timelines once over',
    ),
    timelineDuration: metrics.histogram(
      'analytics_timeline_summarizing_seconds',
      'Time to summarize one day into the funnel timelines',
      [],
      LAG_SECONDS,
    ),
    timelineLag: metrics.gauge(
      'analytics_timeline_lag_seconds',
      'From where the funnel timelines end to the start of today: days over but not yet summarized (funnels read their raw events meanwhile)',
    ),
    linked: metrics.counter('analytics_anonymous_ids_linked_total', 'Anonymous visitors linked to a signed-in user'),
    partitions: metrics.gauge('analytics_raw_partitions', 'Weekly partitions of raw events kept'),
    partitionsDropped: metrics.counter(
      'analytics_raw_partitions_dropped_total',
      'Weekly partitions of raw events dropped by retention',
    ),
  };
}
export type AnalyticsMetrics = ReturnType<typeof analyticsMetrics>;
