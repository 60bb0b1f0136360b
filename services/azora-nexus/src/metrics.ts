// Nexus's own metrics, created once per registry: what it receives and refuses, delivers, fails
// to deliver and gives up on, how late publishers and deliveries are, and each subscriber's backlog.
import { Gauge, type Counter, type Histogram } from 'prom-client';
import type { Logger, Metrics } from '@azora/service-kit';

export interface NexusMetrics {
  readonly received: Counter<'type' | 'source'>;
  readonly duplicates: Counter<'source'>;
  readonly refused: Counter<'caller' | 'type' | 'reason'>;
  readonly delivered: Counter<'type' | 'subscriber'>;
  readonly failures: Counter<'subscriber'>;
  readonly deadLetters: Counter<'type' | 'subscriber'>;
  readonly deliveryLatency: Histogram<'subscriber'>;
  readonly publishLag: Histogram<'source'>;
}

/** Per subscriber: how many seqs of the log lie beyond its position. */
export type BacklogReader = () => Promise<ReadonlyArray<{ subscriber: string; backlog: number }>>;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

const created = new WeakMap<Metrics, NexusMetrics>();

/** The same instance for every caller of one registry: createApp and the dispatcher share them. */
export function nexusMetrics(metrics: Metrics): NexusMetrics {
  const existing = created.get(metrics);
  if (existing) return existing;
  const fresh: NexusMetrics = {
    received: metrics.counter('nexus_events_received_total', 'Events appended to the log', ['type', 'source']),
    duplicates: metrics.counter('nexus_events_duplicate_total', 'Published events already in the log (relay retries)', [
      'source',
    ]),
    refused: metrics.counter(
      'nexus_events_refused_total',
      'Published events refused because the caller may not publish them (reason: not_owner, source_mismatch)',
      ['caller', 'type', 'reason'],
    ),
    delivered: metrics.counter('nexus_events_delivered_total', 'Events acknowledged by a subscriber', [
      'type',
      'subscriber',
    ]),
    failures: metrics.counter(
      'nexus_delivery_failures_total',
      'Delivery attempts that failed (non-2xx, timeout, refused)',
      ['subscriber'],
    ),
    deadLetters: metrics.counter('nexus_dead_letters_total', 'Events given up on after the maximum attempts', [
      'type',
      'subscriber',
    ]),
    deliveryLatency: metrics.histogram(
      'nexus_delivery_latency_seconds',
      'From an event being received to its acknowledgement by a subscriber',
      ['subscriber'],
      LATENCY_BUCKETS,
    ),
    publishLag: metrics.histogram(
      'nexus_publish_lag_seconds',
      "From an event's occurredAt to Nexus receiving it: each publisher's outbox lag",
      ['source'],
      LATENCY_BUCKETS,
    ),
  };
  created.set(metrics, fresh);
  return fresh;
}

const backlogGauges = new WeakSet<Metrics>();

/** The backlog gauge, computed on each scrape; a failed read keeps the scrape working. */
export function registerBacklogGauge(metrics: Metrics, readBacklog: BacklogReader, logger: Logger): void {
  if (backlogGauges.has(metrics)) return;
  backlogGauges.add(metrics);
  new Gauge({
    name: 'nexus_subscription_backlog',
    help: 'Events in the log beyond the position of each subscriber (max seq - position)',
    labelNames: ['subscriber'],
    registers: [metrics.registry],
    async collect() {
      try {
        const rows = await readBacklog();
        this.reset();
        for (const { subscriber, backlog } of rows) this.set({ subscriber }, backlog);
      } catch (error) {
        logger.warn({ err: error }, 'could not read the subscription backlog for /metrics');
      }
    },
  });
}
