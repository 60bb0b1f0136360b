// Notification's domain metrics, registered on the service's registry next to the HTTP metrics.
import { Gauge } from 'prom-client';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type NotificationKind } from '@azora/contracts';
import type { Logger, Metrics } from '@azora/service-kit';

type Channel = (typeof NOTIFICATION_CHANNELS)[number];
type DeliveryChannel = Exclude<Channel, 'in_app'>;

export function notificationMetrics(metrics: Metrics) {
  const created = metrics.counter('notification_notifications_created_total', 'Notifications created, by kind', [
    'kind',
  ] as const);
  const deliveries = metrics.counter(
    'notification_deliveries_total',
    'Deliveries finished, by channel and outcome (in_app is delivered when stored)',
    ['channel', 'outcome'] as const,
  );
  const attempts = metrics.counter(
    'notification_delivery_attempts_total',
    'Email and push delivery attempts, by channel and result (delivered, retry, failed)',
    ['channel', 'result'] as const,
  );
  // Every series exists from the start, so dashboards and rate() see a 0 rather than nothing.
  for (const kind of NOTIFICATION_KINDS) created.inc({ kind }, 0);
  for (const channel of NOTIFICATION_CHANNELS) {
    for (const outcome of ['delivered', 'failed'] as const) deliveries.inc({ channel, outcome }, 0);
  }
  return {
    notificationCreated: (kind: NotificationKind) => created.inc({ kind }),
    deliveryFinished: (channel: Channel, outcome: 'delivered' | 'failed') => deliveries.inc({ channel, outcome }),
    attempted: (channel: DeliveryChannel, result: 'delivered' | 'retry' | 'failed') =>
      attempts.inc({ channel, result }),
  };
}
export type NotificationMetrics = ReturnType<typeof notificationMetrics>;

/** `notification_delivery_queue_depth{channel}`: jobs pending or being sent, read when scraped. */
export function registerQueueGauge(
  metrics: Metrics,
  read: () => Promise<Array<{ channel: DeliveryChannel; depth: number }>>,
  logger: Logger,
): void {
  new Gauge({
    name: 'notification_delivery_queue_depth',
    help: 'Email and push deliveries not finished yet (pending or being sent), by channel',
    labelNames: ['channel'],
    registers: [metrics.registry],
    async collect() {
      try {
        const rows = await read();
        for (const channel of ['email', 'push'] as const)
          this.set({ channel }, rows.find((r) => r.channel === channel)?.depth ?? 0);
      } catch (error) {
        logger.warn({ err: error }, 'could not read the delivery queue depth for /metrics');
      }
    },
  });
}
