// One Education app for a test file, on @azora/testing's startTestService (its own database and
// pool, real user tokens, signed deliveries, the outbox), plus Education's own shortcuts.
import type request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import { fixedClock, type ServiceTokenVerifier, type UserRole } from '@azora/service-kit';
import { startTestService, TEST_START, type FixedClock, type TestService, type TestUser } from '@azora/testing';
import { createApp } from '../../src/app';
import { SERVICE } from '../../src/config';

export type { TestUser };

type PaymentData = EventData<'pay.payment.succeeded'>;

export interface Harness extends TestService<ReturnType<typeof createApp>, FixedClock> {
  user(role?: UserRole): Promise<TestUser>;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** A Pay event about a payment, ready to deliver. */
  payEvent(type: 'pay.payment.succeeded' | 'pay.payment.refunded', data: PaymentData): StoredEvent;
}

export async function startEducation({
  at = TEST_START,
  serviceTokens,
}: { at?: string; serviceTokens?: ServiceTokenVerifier } = {}): Promise<Harness> {
  const t = await startTestService({
    info: SERVICE,
    createApp,
    clock: fixedClock(at),
    deps: { serviceTokens },
  });
  return {
    ...t,
    user: (role = 'student') => t.users.user(role),
    deliver: (events) => t.deliveries.deliver(events),
    payEvent: (type, data) => t.deliveries.event(type, data, { subject: data.userId }),
  };
}
