// One Pay app for a test file, on @azora/testing's startTestService (its own database and pool,
// real user tokens, the outbox), with the sandbox provider and its webhooks captured (a test delivers them when, how often and in what order it likes,
// signed exactly as the sandbox signs them), a stand-in for Education's course prices, and a
// look into the outbox.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { STRIPE_WEBHOOK_PATH, type EventData } from '@azora/contracts';
import { DomainError, type UserRole } from '@azora/service-kit';
import { startTestService, type OutboxRow, type TestService, type TestUser } from '@azora/testing';
import { buildPayApp } from '../../src/app';
import { SERVICE } from '../../src/config';
import type { CourseCatalog, CourseOffer, PaymentProvider } from '../../src/domain/ports';
import type { TokenPricing } from '../../src/domain/pricing';
import { createSandboxProvider } from '../../src/providers/sandbox-provider';
import { signStripeWebhook } from '../../src/providers/webhook-signature';
import type { PayContext } from '../../src/use-cases/context';

export type { TestUser };

export const WEBHOOK_SECRET = 'whsec_test_sandbox_secret_for_pay_tests';
export const TOKENS: TokenPricing = { minorUnitsPerAzr: 2, currency: 'USD', minTokens: 10, maxTokens: 1_000 };

type PaymentData = EventData<'pay.payment.succeeded'>;

/** Education's prices, as a test sets them. */
export interface FakeCourses extends CourseCatalog {
  add(offer?: Partial<Extract<CourseOffer, { found: true }>>): string;
  /** Makes every lookup fail as an unreachable Education would. */
  down: boolean;
}

function fakeCourses(): FakeCourses {
  const offers = new Map<string, CourseOffer>();
  const catalog: FakeCourses = {
    down: false,
    add(offer = {}) {
      const courseId = offer.courseId ?? randomUUID();
      offers.set(courseId, { found: true, courseId, priceCents: 2500, currency: 'EUR', published: true, ...offer });
      return courseId;
    },
    async offer(courseId) {
      if (catalog.down) {
        throw new DomainError('service.dependency_unavailable', 'Education is down', { retryAfterSeconds: 5 });
      }
      return offers.get(courseId) ?? { found: false };
    },
  };
  return catalog;
}

export interface Harness extends Omit<TestService<ReturnType<typeof buildPayApp>>, 'outbox'> {
  readonly ctx: PayContext;
  readonly courses: FakeCourses;
  /** Sandbox webhook events not yet delivered, oldest first. */
  readonly captured: Record<string, unknown>[];
  user(role?: UserRole): Promise<TestUser>;
  /** Takes the captured events (of `type`, or all) out of the queue. */
  take(type?: string): Record<string, unknown>[];
  /** POSTs an event to /webhooks/stripe signed as the sandbox signs it (at `timestamp`, default now). */
  deliver(event: Record<string, unknown>, options?: { timestamp?: number; secret?: string }): request.Test;
  /** Delivers every captured event in order, emptying the queue. */
  deliverAll(): Promise<void>;
  /** Events in the outbox, oldest first; only those of `type` when given. */
  outbox(type?: string): Promise<Array<OutboxRow<PaymentData>>>;
}

export async function startPay({
  at,
  provider: makeProvider,
}: { at?: string; provider?: (sandbox: PaymentProvider) => PaymentProvider } = {}): Promise<Harness> {
  const captured: Record<string, unknown>[] = [];
  const courses = fakeCourses();
  const t = await startTestService({
    info: SERVICE,
    at,
    createApp: (deps) => {
      const sandbox = createSandboxProvider({
        pool: deps.pool,
        clock: deps.clock,
        webhookSecret: WEBHOOK_SECRET,
        webhooks: { send: (event) => captured.push(event) },
      });
      return buildPayApp(deps, { provider: makeProvider ? makeProvider(sandbox) : sandbox, courses, tokens: TOKENS });
    },
  });

  const deliver: Harness['deliver'] = (event, options = {}) => {
    const payload = JSON.stringify(event, null, 2);
    const timestamp = options.timestamp ?? Math.floor(t.clock.now().getTime() / 1000);
    return request(t.app)
      .post(STRIPE_WEBHOOK_PATH)
      .set('content-type', 'application/json; charset=utf-8')
      .set('stripe-signature', signStripeWebhook(payload, options.secret ?? WEBHOOK_SECRET, timestamp))
      .send(payload);
  };

  return {
    ...t,
    ctx: t.service.ctx,
    courses,
    captured,
    user: (role = 'student') => t.users.user(role),
    take(type) {
      const taken = captured.filter((e) => type === undefined || e['type'] === type);
      for (const event of taken) captured.splice(captured.indexOf(event), 1);
      return taken;
    },
    deliver,
    async deliverAll() {
      while (captured.length > 0) {
        const res = await deliver(captured.shift() as Record<string, unknown>);
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.text}`);
      }
    },
    outbox: (type) => t.outbox<PaymentData>(type),
  };
}
