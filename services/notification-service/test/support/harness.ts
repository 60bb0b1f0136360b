// One Notification service for a test file, on @azora/testing's startTestService (its own
// database and pool, a fixed clock, real user tokens, signed deliveries, the outbox), with the
// embedded mail sink (or an SMTP server the test names) reached over real SMTP, Web Push to a
// push endpoint on 127.0.0.1, and the delivery worker driven step by step (runOnce) instead of
// by its timer.
import type request from 'supertest';
import webpush from 'web-push';
import type { EventData, EventType, StoredEvent } from '@azora/contracts';
import { createCoreDeps } from '@azora/service-kit';
import { createTestDeliveries, startTestService, type TestService, type TestUser } from '@azora/testing';
import { createNotificationService, type NotificationService } from '../../src/app';
import { SERVICE } from '../../src/config';
import type { SettingsOverrides } from '../../src/domain/settings';
import { createMailSink, type MailSink } from '../../src/providers/mail-sink';
import { createSmtpMailer, type SmtpTarget } from '../../src/providers/smtp-mailer';
import { createWebPushSender } from '../../src/providers/web-push-sender';
import { storeReceivedMail } from '../../src/use-cases/mailbox';
import { startPushEndpoint, type PushEndpoint } from './push-endpoint';

export type { TestUser };

export interface HarnessOptions {
  at?: string;
  /** Where mail goes: the embedded sink (default) or another SMTP server on 127.0.0.1. */
  smtp?: SmtpTarget;
  settings?: SettingsOverrides;
}

export interface Harness extends TestService<NotificationService> {
  readonly push: PushEndpoint;
  user(role?: 'student' | 'instructor' | 'employer' | 'admin'): Promise<TestUser>;
  admin(): Promise<TestUser>;
  /** An event as Nexus stores it, from its owner. */
  event<T extends EventType>(type: T, data: EventData<T>, overrides?: Partial<StoredEvent>): StoredEvent;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** Delivers identity.user.registered for `user` (the welcome notification and their address). */
  register(user: TestUser, fields?: { name?: string; email?: string }): Promise<StoredEvent>;
  /** Runs the worker until nothing is due at the clock's current time; how many attempts it made. */
  drain(): Promise<number>;
  /** Another instance over the same database, mail server and push service, as a second process,
   * with its own signed deliveries. */
  anotherInstance(): { service: NotificationService; deliver(events: StoredEvent[]): request.Test };
  /** The app listening on 127.0.0.1 (for streams); started on first use. */
  url(): Promise<string>;
}

export function emailOf(user: TestUser): string {
  return `user-${user.id.slice(0, 8)}@example.test`;
}

export async function startNotification(options: HarnessOptions = {}): Promise<Harness> {
  const push = await startPushEndpoint();
  let sink: MailSink | undefined;
  // Read at the first send, once the embedded sink below listens.
  const target = (): SmtpTarget => options.smtp ?? { host: '127.0.0.1', port: sink?.port as number, ignoreTLS: true };
  const mail = createSmtpMailer({ target, from: 'Azora <no-reply@azora.test>', timeoutMs: 5_000 });
  const vapid = webpush.generateVAPIDKeys();
  const providers = {
    mail,
    push: createWebPushSender({
      vapid: { ...vapid, subject: 'mailto:ops@azora.test' },
      timeoutMs: 5_000,
      ttlSeconds: 60,
      agent: push.agent,
    }),
    mailbox: !options.smtp,
    settings: { ...options.settings, pushAllowedHosts: ['127.0.0.1'] },
    random: () => 0.5,
  };
  const t = await startTestService({
    info: SERVICE,
    at: options.at,
    createApp: (deps) => createNotificationService({ ...deps, ...providers }),
  });
  if (!options.smtp) {
    sink = createMailSink({
      port: 0,
      maxBytes: 1024 * 1024,
      logger: t.deps.logger,
      store: (received) => storeReceivedMail({ pool: t.pool, clock: t.clock }, received),
    });
    await sink.start();
  }

  return {
    ...t,
    push,
    user: (role = 'student') => t.users.user(role),
    admin: () => t.users.admin(),
    event: (type, data, overrides) => t.deliveries.event(type, data, overrides),
    deliver: (events) => t.deliveries.deliver(events),
    async register(user, fields = {}) {
      const event = t.deliveries.event('identity.user.registered', {
        userId: user.id,
        email: fields.email ?? emailOf(user),
        name: fields.name ?? 'Ada Lovelace',
        role: user.role,
      });
      const res = await t.deliveries.deliver([event]);
      if (res.status !== 200) throw new Error(`registration delivery answered ${res.status}: ${res.text}`);
      return event;
    },
    async drain() {
      let total = 0;
      for (let n = await t.service.worker.runOnce(); n > 0; n = await t.service.worker.runOnce()) total += n;
      return total;
    },
    anotherInstance() {
      const otherDeps = createCoreDeps({ service: SERVICE.name, pool: t.pool, clock: t.clock });
      const other = createNotificationService({ ...otherDeps, ...providers });
      const otherDeliveries = createTestDeliveries(otherDeps.events, other.app, { clock: t.clock });
      return { service: other, deliver: (events) => otherDeliveries.deliver(events) };
    },
    url: () => t.listen(),
    async close() {
      mail.close();
      await sink?.stop();
      await push.close();
      await t.close();
    },
  };
}
