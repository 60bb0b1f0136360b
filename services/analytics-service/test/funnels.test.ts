// Funnels: people enter with their first step-one event in the range; each later step counts
// only after the step before and within the window from entering. Steps done out of order or
// too late do not count; repeated names need a later event.
import request from 'supertest';
import { anEvent } from './support/events';
import { startAnalytics, type Harness, type TestUser } from './support/harness';

const STEPS = ['Course Viewed', 'Enroll Clicked', 'Checkout Completed'];
const [VIEW, CLICK, PAY] = STEPS as [string, string, string];

describe('funnels', () => {
  let h: Harness;
  let admin: TestUser;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    admin = await h.admin();
    const people: Array<Array<[string, string]>> = [
      // in order, all within the day: three steps
      [
        [VIEW, '2026-03-05T10:00:00Z'],
        [CLICK, '2026-03-05T11:00:00Z'],
        [PAY, '2026-03-05T12:00:00Z'],
      ],
      // clicked before viewing: the click does not count, so neither does the payment after it
      [
        [CLICK, '2026-03-05T09:00:00Z'],
        [VIEW, '2026-03-05T10:00:00Z'],
        [PAY, '2026-03-05T10:30:00Z'],
      ],
      // paid 25 hours after entering: outside the 24-hour window
      [
        [VIEW, '2026-03-05T10:00:00Z'],
        [CLICK, '2026-03-06T09:00:00Z'],
        [PAY, '2026-03-06T11:00:00Z'],
      ],
      // paid before clicking, then again after: the second payment counts
      [
        [VIEW, '2026-03-05T10:00:00Z'],
        [CLICK, '2026-03-05T10:30:00Z'],
        [PAY, '2026-03-05T10:15:00Z'],
        [PAY, '2026-03-05T11:00:00Z'],
      ],
      // viewed before the range too: enters with the first view inside it
      [
        [VIEW, '2026-03-04T10:00:00Z'],
        [VIEW, '2026-03-05T10:00:00Z'],
        [CLICK, '2026-03-05T10:05:00Z'],
        [PAY, '2026-03-05T10:10:00Z'],
      ],
      // never viewed: never enters
      [
        [CLICK, '2026-03-05T10:00:00Z'],
        [PAY, '2026-03-05T10:10:00Z'],
      ],
      // the window ends exactly 24 hours after entering: a click at 23:59 counts, a payment at 24:01 does not
      [
        [VIEW, '2026-03-05T22:00:00Z'],
        [CLICK, '2026-03-06T21:59:00Z'],
        [PAY, '2026-03-06T22:01:00Z'],
      ],
      // entered after the range
      [
        [VIEW, '2026-03-07T10:00:00Z'],
        [CLICK, '2026-03-07T10:01:00Z'],
        [PAY, '2026-03-07T10:02:00Z'],
      ],
    ];
    for (const steps of people) {
      const user = await h.user();
      await h.tracked(
        steps.map(([name, at]) => anEvent(name, at)),
        user,
      );
    }
  });
  afterAll(() => h.close());

  const funnel = (body: object, as: TestUser = admin) => request(h.app).post('/funnels').set(as.auth).send(body);

  it('When a three-step funnel is asked, then out-of-order and out-of-window steps do not count', async () => {
    const res = await funnel({ steps: STEPS, windowHours: 24, from: '2026-03-05', to: '2026-03-06' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-05T00:00:00.000Z',
      to: '2026-03-07T00:00:00.000Z',
      windowHours: 24,
      entered: 6,
      converted: 3,
      conversionRate: 0.5,
      steps: [
        { name: VIEW, count: 6, conversionRate: 1, stepConversionRate: 1 },
        { name: CLICK, count: 5, conversionRate: 0.8333, stepConversionRate: 0.8333 },
        { name: PAY, count: 3, conversionRate: 0.5, stepConversionRate: 0.6 },
      ],
    });
  });

  it('When the window is wider, then the late steps count too', async () => {
    const res = await funnel({ steps: STEPS, windowHours: 48, from: '2026-03-05', to: '2026-03-06' });

    expect(res.body.steps.map((s: { count: number }) => s.count)).toEqual([6, 5, 5]);
  });

  it('When a step repeats the step before, then it needs a later event of that name', async () => {
    const res = await funnel({ steps: [VIEW, VIEW], windowHours: 72, from: '2026-03-04', to: '2026-03-07' });

    // Only the person who viewed on the 4th and again on the 5th viewed twice.
    expect(res.body.steps.map((s: { count: number }) => s.count)).toEqual([7, 1]);
  });

  it('When a funnel request is malformed, then the 400 names each field', async () => {
    const res = await funnel({ steps: [VIEW], windowHours: 0, extra: true });

    expect(res.status).toBe(400);
    expect((res.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'body',
      'body.steps',
      'body.windowHours',
    ]);
  });

  it('When `from` is after `to`, then 400 analytics.invalid_range', async () => {
    const res = await funnel({ steps: STEPS, windowHours: 24, from: '2026-03-06', to: '2026-03-05' });

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'analytics.invalid_range', issues: [{ path: 'body.from' }] });
  });
});
