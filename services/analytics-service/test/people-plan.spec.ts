// What a batch does to people, decided from their state: pure rules, no database.
import { anonymousPersonId } from '../src/domain/persons';
import { earliestLinks, planPeople, type PersonState } from '../src/domain/people-plan';
import { actorOf } from '../src/domain/incoming-events';

const U = '11111111-1111-4111-8111-111111111111';
const V = anonymousPersonId('visitor');
const d = (iso: string) => new Date(iso);
const state = (entries: Array<[string, string, string | null]>) =>
  new Map<string, PersonState>(
    entries.map(([id, firstSeen, mergedInto]) => [id, { firstSeen: d(firstSeen), mergedInto }]),
  );

describe('people plan', () => {
  it('When an anonymous id is hashed, then it is a stable UUID-shaped key that SQL can compute too', () => {
    expect(anonymousPersonId('visitor')).toBe(anonymousPersonId('visitor'));
    expect(anonymousPersonId('visitor')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(anonymousPersonId('visitor')).not.toBe(anonymousPersonId('visitor2'));
  });

  it('When a visitor with history signs in, then they merge into the user and both are recounted', () => {
    const events = [{ name: 'Signed In', personId: U, timestamp: d('2026-03-04T10:00:00Z') }];

    const plan = planPeople({
      events,
      state: state([
        [U, '2026-03-04T10:00:00Z', null],
        [V, '2026-02-20T10:00:00Z', null],
      ]),
      created: new Set([U]),
      links: earliestLinks([
        { visitor: V, user: U, at: d('2026-03-04T12:00:00Z') },
        { visitor: V, user: U, at: d('2026-03-04T10:00:00Z') },
      ]),
    });

    expect(plan.merges).toEqual([{ visitor: V, user: U }]);
    expect([...plan.recount].sort()).toEqual([U, V].sort());
    expect(plan.firstSeenChanges).toEqual([{ personId: U, firstSeen: d('2026-02-20T10:00:00Z') }]);
    expect(plan.cohorts.get(U)).toEqual(d('2026-02-16T00:00:00Z'));
  });

  it('When a visitor is already merged, then their events count for that user and nothing merges again', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    const events = [
      { name: 'Page Viewed', personId: V, timestamp: d('2026-03-05T10:00:00Z') },
      { name: 'Signed In', personId: other, timestamp: d('2026-03-05T11:00:00Z') },
    ];

    const plan = planPeople({
      events,
      state: state([
        [V, '2026-02-20T10:00:00Z', U],
        [U, '2026-02-20T10:00:00Z', null],
        [other, '2026-03-05T11:00:00Z', null],
      ]),
      created: new Set([other]),
      links: [{ visitor: V, user: other, at: d('2026-03-05T11:00:00Z') }],
    });

    expect(plan.merges).toEqual([]);
    expect(plan.redirects.get(V)).toBe(U);
    expect(plan.recount.size).toBe(0);
  });

  it('When a late event moves a first-seen time within the same week, then nobody is recounted', () => {
    const plan = planPeople({
      events: [{ name: 'Page Viewed', personId: U, timestamp: d('2026-03-09T08:00:00Z') }],
      state: state([[U, '2026-03-10T08:00:00Z', null]]),
      created: new Set(),
      links: [],
    });

    expect(plan.firstSeenChanges).toEqual([{ personId: U, firstSeen: d('2026-03-09T08:00:00Z') }]);
    expect(plan.recount.size).toBe(0);
  });
});

describe('who acts in a bus event', () => {
  const base = { id: U, occurredAt: '2026-03-11T10:00:00Z' };

  it('When someone transfers tokens, then the sender acted; when a reward is minted, nobody did', () => {
    const transfer = { transferId: U, from: U, to: V, amount: 3, kind: 'transfer' };

    expect(actorOf({ ...base, type: 'mint.transfer.completed', data: transfer })).toBe(U);
    expect(actorOf({ ...base, type: 'mint.transfer.completed', data: { ...transfer, kind: 'reward' } })).toBeNull();
  });

  it('When a course is published, then its instructor (the subject) acted', () => {
    const data = { courseId: U, title: 'Soil', skills: [] };

    expect(actorOf({ ...base, type: 'education.course.published', subject: U, data })).toBe(U);
    expect(actorOf({ ...base, type: 'education.course.published', data })).toBeNull();
  });
});
