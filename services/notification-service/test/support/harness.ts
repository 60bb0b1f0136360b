// One Notification service for a test file: its own database and pool, a fixed clock, real user
// tokens, signed event deliveries as Nexus sends them, the embedded mail sink (or an SMTP server
// the test names) reached over real SMTP, Web Push to a push endpoint on 127.0.0.1, and the
// delivery worker driven step by step (runOnce) instead of by its timer.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type request from 'supertest';
import webpush from 'web-push';
import type { EventData, EventType, StoredEvent } from '@azora/contracts';
import { createCoreDeps, createHttpServer, createPool, fixedClock, type CoreDeps, type Pool } from '@azora/service-kit';
import {
  createTestDatabase,
  createTestDeliveries,
  createTestIdentities,
  type TestDatabase,
  type TestUser,
} from '@azora/testing';
import { createNotificationService, type NotificationService } from '../../src/app';
import { SERVICE } from '../../src/config';
import type { SettingsOverrides } from '../../src/domain/settings';
import { createMailSink, type MailSink } from '../../src/providers/mail-sink';
import { createSmtpMailer, type SmtpTarget } from '../../src/providers/smtp-mailer';
import { createWebPushSender } from '../../src/providers/web-push-sender';
import { storeReceivedMail } from '../../src/use-cases/mailbox';
import { startPushEndpoint, type PushEndpoint } from './push-endpoint';

export type { TestUser };

export interface OutboxEvent {
  type: string;
  subject: string | null;
  data: Record<string, unknown>;
}

export interface HarnessOptions {
  at?: string;
  /** Where mail goes: the embedded sink (default) or another SMTP server on 127.0.0.1. */
  smtp?: SmtpTarget;
  settings?: SettingsOverrides;
}

export interface Harness {
  readonly app: NotificationService['app'];
  readonly service: NotificationService;
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: ReturnType<typeof fixedClock>;
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
  outbox(type?: string): Promise<OutboxEvent[]>;
  /** Another instance over the same database, mail server and push service, as a second process,
   * with its own signed deliveries. */
  anotherInstance(): { service: NotificationService; deliver(events: StoredEvent[]): request.Test };
  /** The app listening on 127.0.0.1 (for streams); started on first use. */
  url(): Promise<string>;
  close(): Promise<void>;
}

export function emailOf(user: TestUser): string {
  return `user-${user.id.slice(0, 8)}@example.test`;
}

export async function startNotification(options: HarnessOptions = {}): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 12 });
  const identities = createTestIdentities();
  const clock = fixedClock(options.at ?? '2026-03-02T09:00:00.000Z');
  const deps = createCoreDeps({ service: SERVICE.name, pool, users: identities.verifier, clock });
  const push = await startPushEndpoint();
  let sink: MailSink | undefined;
  if (!options.smtp) {
    sink = createMailSink({
      port: 0,
      maxBytes: 1024 * 1024,
      logger: deps.logger,
      store: (mail) => storeReceivedMail({ pool, clock }, mail),
    });
    await sink.start();
  }
  const target: SmtpTarget = options.smtp ?? { host: '127.0.0.1', port: sink?.port as number, ignoreTLS: true };
  const mail = createSmtpMailer({ target: () => target, from: 'Azora <no-reply@azora.test>', timeoutMs: 5_000 });
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
  const service = createNotificationService({ ...deps, ...providers });
  const deliveries = createTestDeliveries(deps.events, service.app, { clock });
  let server: Server | undefined;

  const h: Harness = {
    app: service.app,
    service,
    pool,
    deps,
    clock,
    push,
    user: (role = 'student') => identities.user(role),
    admin: () => identities.admin(),
    event: (type, data, overrides) => deliveries.event(type, data, overrides),
    deliver: (events) => deliveries.deliver(events),
    async register(user, fields = {}) {
      const event = deliveries.event('identity.user.registered', {
        userId: user.id,
        email: fields.email ?? emailOf(user),
        name: fields.name ?? 'Ada Lovelace',
        role: user.role,
      });
      const res = await deliveries.deliver([event]);
      if (res.status !== 200) throw new Error(`registration delivery answered ${res.status}: ${res.text}`);
      return event;
    },
    async drain() {
      let total = 0;
      for (let n = await service.worker.runOnce(); n > 0; n = await service.worker.runOnce()) total += n;
      return total;
    },
    async outbox(type) {
      const { rows } = await pool.query<OutboxEvent>(
        `SELECT type, subject, data FROM outbox WHERE $1::text IS NULL OR type = $1 ORDER BY position`,
        [type ?? null],
      );
      return rows;
    },
    anotherInstance() {
      const otherDeps = createCoreDeps({ service: SERVICE.name, pool, clock });
      const other = createNotificationService({ ...otherDeps, ...providers });
      const otherDeliveries = createTestDeliveries(otherDeps.events, other.app, { clock });
      return { service: other, deliver: (events) => otherDeliveries.deliver(events) };
    },
    async url() {
      if (!server) {
        server = createHttpServer(service.app);
        await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      }
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      mail.close();
      await sink?.stop();
      await push.close();
      await pool.end();
      await db.drop();
    },
  };
  return h;
}
