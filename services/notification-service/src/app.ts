// Notification's HTTP app: the in-app inbox and its stream, preferences, push subscriptions,
// the delivery log and the mailbox, and the handlers of the events that create notifications.
// createNotificationService builds the app and the delivery worker over one context (the
// worker is woken in-process when a notification queues deliveries); it starts neither:
// server.ts (or a test) starts the worker once the server listens.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { queueDepth } from './db/deliveries';
import type { MailSender, PushSender } from './domain/ports';
import { notificationSettings, type SettingsOverrides } from './domain/settings';
import type { TemplateSet } from './domain/templates';
import { registerEventHandlers } from './events/handlers';
import { notificationMetrics, registerQueueGauge } from './metrics';
import { adminRoutes } from './routes/admin';
import { inboxRoutes } from './routes/inbox';
import { preferenceRoutes } from './routes/preferences';
import { pushRoutes } from './routes/push';
import { streamRoutes } from './routes/stream';
import { loadTemplates } from './templates/template-files';
import type { NotificationContext } from './use-cases/context';
import { createDeliveryAttempt } from './use-cases/deliver';
import { createStreamHub, type StreamHub } from './use-cases/stream';
import { createDeliveryWorker, type DeliveryWorker } from './use-cases/worker';

export type NotificationDeps = CoreDeps & {
  /** Email: SMTP_URL's server or the embedded sink. Absent, email deliveries wait. */
  readonly mail?: MailSender | undefined;
  /** Web Push with the deployment's VAPID keys. Absent, nobody can subscribe. */
  readonly push?: PushSender | undefined;
  /** True when the embedded mail sink receives the mail, so GET /mailbox can show it. */
  readonly mailbox?: boolean | undefined;
  /** Retry, stream and push settings; unset ones take the defaults (src/domain/settings.ts). */
  readonly settings?: SettingsOverrides | undefined;
  /** The templates; read from templates/ when not given. */
  readonly templates?: TemplateSet | undefined;
  /** Jitter of retry delays (tests fix it). */
  readonly random?: (() => number) | undefined;
};

export interface NotificationService {
  readonly app: Express;
  readonly worker: DeliveryWorker;
  readonly hub: StreamHub;
}

export function createNotificationService(deps: NotificationDeps): NotificationService {
  const settings = notificationSettings(deps.settings);
  const hub = createStreamHub({ pool: deps.pool, logger: deps.logger, pollMs: settings.stream.pollMs });
  // The worker is built from the context it wakes through: bound once it exists.
  let wakeWorker = () => {};
  const ctx: NotificationContext = {
    pool: deps.pool,
    clock: deps.clock,
    publish: deps.publish,
    logger: deps.logger,
    metrics: notificationMetrics(deps.metrics),
    settings,
    templates: deps.templates ?? loadTemplates(),
    signals: {
      deliveriesQueued: () => wakeWorker(),
      notificationsStored: (userId) => hub.stored(userId),
    },
    mail: deps.mail,
    push: deps.push,
    mailbox: deps.mailbox ?? false,
  };
  const worker = createDeliveryWorker(ctx, createDeliveryAttempt(ctx, deps.random));
  wakeWorker = worker.wake;
  registerEventHandlers(deps.events, ctx);
  registerQueueGauge(deps.metrics, () => queueDepth(deps.pool), deps.logger);
  const app = serviceApp(deps, {
    routes: (_router, api) => {
      // Fixed paths before `/:id/...`, so that no word is read as a notification id.
      preferenceRoutes(api, ctx);
      pushRoutes(api, ctx);
      adminRoutes(api, ctx);
      streamRoutes(api, { hub, heartbeatMs: settings.stream.heartbeatMs, stopping: deps.stopping });
      inboxRoutes(api, ctx);
    },
  });
  return { app, worker, hub };
}

export function createApp(deps: NotificationDeps): Express {
  return createNotificationService(deps).app;
}
