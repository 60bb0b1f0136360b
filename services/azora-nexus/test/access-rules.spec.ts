import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, eventOwner, type EventEnvelope } from '@azora/contracts';
import {
  LOG_READERS,
  OPERATOR,
  PUBLISHERS,
  SUBSCRIBERS,
  listedSubscriber,
  mayActFor,
  publishingViolations,
} from '../src/domain/access';

const envelope = (type: string, source: string): EventEnvelope => ({
  id: randomUUID(),
  type,
  source,
  occurredAt: new Date().toISOString(),
  data: {},
});

describe('Access rules', () => {
  it('When the publishers are listed, then they are exactly the owners of the catalog event types', () => {
    const owners = new Set(EVENT_TYPES.map((type) => eventOwner(type)));
    expect(new Set(PUBLISHERS)).toEqual(owners);
    expect(PUBLISHERS).not.toContain('analytics-service');
  });

  it('When a batch holds events under another name or of another owner, then each is named, with its reason', () => {
    const batch = [
      envelope('pay.payment.succeeded', 'azora-pay'),
      envelope('pay.payment.refunded', 'azora-education'),
      envelope('mint.transfer.completed', 'azora-pay'),
    ];
    expect(publishingViolations('azora-pay', batch)).toEqual([
      { index: 1, reason: 'source_mismatch', type: 'pay.payment.refunded', source: 'azora-education' },
      { index: 2, reason: 'not_owner', type: 'mint.transfer.completed', owner: 'azora-mint' },
    ]);
    expect(publishingViolations('azora-pay', batch.slice(0, 1))).toEqual([]);
  });

  it('When a service lists, then it sees its own; the operator sees whom it asks for, or everyone', () => {
    expect(listedSubscriber('azora-mint', undefined)).toBe('azora-mint');
    expect(listedSubscriber('azora-mint', 'azora-mint')).toBe('azora-mint');
    expect(listedSubscriber('azora-mint', 'azora-forge')).toBeNull();
    expect(listedSubscriber(OPERATOR, undefined)).toBeUndefined();
    expect(listedSubscriber(OPERATOR, 'azora-forge')).toBe('azora-forge');
  });

  it('When a record belongs to a subscriber, then only it and the operator may act on it', () => {
    expect(mayActFor('azora-forge', 'azora-forge')).toBe(true);
    expect(mayActFor(OPERATOR, 'azora-forge')).toBe(true);
    expect(mayActFor('azora-mint', 'azora-forge')).toBe(false);
  });

  it('When the callers of each route are listed, then Nexus itself is none of them and the log readers are subscribers', () => {
    expect(SUBSCRIBERS).not.toContain('azora-nexus');
    expect(SUBSCRIBERS).toEqual(expect.arrayContaining([...LOG_READERS, ...PUBLISHERS]));
  });
});
