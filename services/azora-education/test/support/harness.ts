// One Education app for a test file, on @azora/testing's startTestService (its own database and
// pool, real user tokens, signed deliveries, the outbox), plus Education's own shortcuts.
import type request from 'supertest';
import type { EventData, StoredEvent } from '@azora/contracts';
import type { ServiceTokenVerifier, UserRole } from '@azora/service-kit';
import { startTestService, type TestService, type TestUser } from '@azora/testing';
import { createApp } from '../../src/app';
import { SERVICE } from '../../src/config';

export type { TestUser };

type PaymentData = EventData<'pay.payment.succeeded'>;

export interface Harness extends TestService<ReturnType<typeof createApp>> {
  user(role?: UserRole): Promise<TestUser>;
  /** Delivers the events as one signed Nexus batch. */
  deliver(events: StoredEvent[]): request.Test;
  /** A Pay event about a payment, ready to deliver. */
  payEvent(type: 'pay.payment.succeeded' | 'pay.payment.refunded', data: PaymentData): StoredEvent;
}

export async function startEducation({
  at,
  serviceTokens,
}: { at?: string; serviceTokens?: ServiceTokenVerifier } = {}): Promise<Harness> {
  const t = await startTestService({
    info: SERVICE,
    createApp,
    at,
    deps: { serviceTokens },
  });
  return {
    ...t,
    user: (role = 'student') => t.users.user(role),
    deliver: (events) => t.deliveries.deliver(events),
    payEvent: (type, data) => t.deliveries.event(type, data, { subject: data.userId }),
  };
}
