// Notification's process: config, database, migrations, the mail transport (SMTP_URL, or the
// embedded sink started here), the VAPID keys, listen; then the sink and the delivery worker.
// On SIGTERM the server stops accepting, the worker finishes its attempts, the sink closes.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve, type CoreDeps } from '@azora/service-kit';
import { createNotificationService } from './app';
import type { MailSender } from './domain/ports';
import { loadConfig, SERVICE, type NotificationConfig } from './config';
import { createMailSink, type MailSink } from './providers/mail-sink';
import { createSmtpMailer, type SmtpTarget } from './providers/smtp-mailer';
import { loadOrCreateVapidKeys } from './providers/vapid-keys';
import { createWebPushSender } from './providers/web-push-sender';
import type { DeliveryWorker } from './use-cases/worker';
import { storeReceivedMail } from './use-cases/mailbox';

let worker: DeliveryWorker | undefined;
let sink: MailSink | undefined;
let mailer: MailSender | undefined;

function buildService(deps: CoreDeps, config: NotificationConfig) {
  const { mail, push } = config;
  const { smtpUrl } = mail;
  if (!smtpUrl) {
    sink = createMailSink({
      port: mail.sinkPort,
      maxBytes: mail.sinkMaxBytes,
      logger: deps.logger,
      store: (received) => storeReceivedMail(deps, received),
    });
  }
  const embedded = sink;
  const target = (): SmtpTarget => {
    if (smtpUrl) return { url: smtpUrl };
    if (embedded?.port === undefined) throw new Error('the mail sink has not started');
    return { host: '127.0.0.1', port: embedded.port, ignoreTLS: true };
  };
  const keys =
    push.publicKey && push.privateKey
      ? { publicKey: push.publicKey, privateKey: push.privateKey }
      : loadOrCreateVapidKeys(push.keysFile, deps.logger);
  mailer = createSmtpMailer({ target, from: mail.from, timeoutMs: mail.timeoutMs });
  const service = createNotificationService({
    ...deps,
    mail: mailer,
    push: createWebPushSender({
      vapid: { ...keys, subject: push.subject },
      timeoutMs: push.timeoutMs,
      ttlSeconds: push.ttlSeconds,
    }),
    mailbox: !smtpUrl,
    settings: config.settings,
  });
  worker = service.worker;
  return service.app;
}

serve<NotificationConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: buildService,
  onStarted: async () => {
    await sink?.start();
    worker?.start();
  },
  onClose: [() => worker?.stop(), () => mailer?.close(), () => sink?.stop()],
});
