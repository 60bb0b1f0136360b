// Envelopes for tests: valid events of the catalog, as their publisher would send them.
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@azora/contracts';

export function lessonCompleted(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'education.lesson.completed',
    source: 'azora-education',
    occurredAt: new Date().toISOString(),
    data: {
      courseId: randomUUID(),
      lessonId: randomUUID(),
      userId: randomUUID(),
      authorIds: [randomUUID()],
      rewardEligible: true,
    },
    ...overrides,
  };
}

export function transferCompleted(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'mint.transfer.completed',
    source: 'azora-mint',
    occurredAt: new Date().toISOString(),
    data: { transferId: randomUUID(), from: 'treasury', to: randomUUID(), amount: 10, kind: 'reward' },
    ...overrides,
  };
}

export function paymentSucceeded(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'pay.payment.succeeded',
    source: 'azora-pay',
    occurredAt: new Date().toISOString(),
    data: { paymentId: randomUUID(), userId: randomUUID(), purpose: 'tokens', amount: 500, currency: 'EUR' },
    ...overrides,
  };
}
