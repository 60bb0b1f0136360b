// A visitor who signs in is one person: the first event carrying both their anonymous id and
// a signed-in user links them, their anonymous history moves to the user, and later anonymous
// events of that visitor count for the user too. The first link wins.
import request from 'supertest';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

type Series = { series: Array<{ start: string; users: number }> };
const users = (report: Series) => report.series.map((s) => s.users);

describe('identity linking', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
  });
  afterAll(() => h.close());

  /** The people the export says a visitor's events count for. */
  async function personsOf(anonymousId: string): Promise<string[]> {
    await h.rolledUp();
    const res = await request(h.app)
      .get('/events/export?from=2026-03-01&to=2026-03-11')
      .set((await h.admin()).auth);
    const lines = res.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { anonymousId: string | null; personId: string });
    return [...new Set(lines.filter((l) => l.anonymousId === anonymousId).map((l) => l.personId))].sort();
  }

  it('When a visitor browses, then signs up, then the day counts one person and the funnel converts them', async () => {
    const user = await h.user();
    await h.tracked([
      anEvent('Course Viewed', '2026-03-02T10:00:00.000Z', { anonymousId: 'visitor-a' }),
      anEvent('Course Viewed', '2026-03-03T10:00:00.000Z', { anonymousId: 'visitor-a' }),
    ]);

    await h.tracked([anEvent('Signed Up', '2026-03-03T11:00:00.000Z', { anonymousId: 'visitor-a' })], user);
    await h.tracked([anEvent('Enroll Clicked', '2026-03-03T12:00:00.000Z')], user);

    expect(users(await h.report<Series>('/active-users?from=2026-03-02&to=2026-03-03'))).toEqual([1, 1]);
    expect(users(await h.report<Series>('/active-users?interval=week&from=2026-03-02&to=2026-03-02'))).toEqual([1]);
    const funnel = await request(h.app)
      .post('/funnels')
      .set((await h.admin()).auth)
      .send({
        steps: ['Course Viewed', 'Signed Up', 'Enroll Clicked'],
        windowHours: 48,
        from: '2026-03-02',
        to: '2026-03-03',
      });
    expect(funnel.body.steps.map((s: { count: number }) => s.count)).toEqual([1, 1, 1]);
    expect(await personsOf('visitor-a')).toEqual([user.id]);
    const retention = await h.report<{ cohorts: Array<{ size: number }> }>('/retention?from=2026-03-02&to=2026-03-02');
    expect(retention.cohorts).toEqual([expect.objectContaining({ start: '2026-03-02T00:00:00.000Z', size: 1 })]);
  });

  it('When a person did funnel steps both as a visitor and as the user, then the funnel follows them across both', async () => {
    const user = await h.user();
    await h.tracked([
      anEvent('Course Viewed', '2026-03-10T07:00:00.000Z', { anonymousId: 'visitor-split' }),
      anEvent('Enroll Clicked', '2026-03-10T07:30:00.000Z', { anonymousId: 'visitor-split' }),
    ]);
    await h.tracked([anEvent('Course Viewed', '2026-03-10T08:00:00.000Z')], user);
    await h.tracked([anEvent('Signed In', '2026-03-10T09:00:00.000Z', { anonymousId: 'visitor-split' })], user);
    await h.tracked([anEvent('Checkout Completed', '2026-03-10T09:30:00.000Z')], user);

    const admin = await h.admin();
    const counts = async (windowHours: number) => {
      const res = await request(h.app)
        .post('/funnels')
        .set(admin.auth)
        .send({
          steps: ['Course Viewed', 'Enroll Clicked', 'Checkout Completed'],
          windowHours,
          from: '2026-03-10',
          to: '2026-03-10',
        });
      return res.body.steps.map((s: { count: number }) => s.count);
    };

    // Entered at 07:00 as the visitor: the payment at 09:30 is inside three hours, not two.
    expect(await counts(3)).toEqual([1, 1, 1]);
    expect(await counts(2)).toEqual([1, 1, 0]);
  });

  it('When a linked visitor is anonymous again later, then their events still count for the user', async () => {
    const user = await h.user();
    await h.tracked([anEvent('Signed In', '2026-03-04T09:00:00.000Z', { anonymousId: 'visitor-b' })], user);

    await h.tracked([anEvent('Page Viewed', '2026-03-05T09:00:00.000Z', { anonymousId: 'visitor-b' })]);

    expect(await personsOf('visitor-b')).toEqual([user.id]);
    expect(users(await h.report<Series>('/active-users?from=2026-03-05&to=2026-03-05'))).toEqual([1]);
  });

  it('When a second user signs in on a linked visitor, then the first link stays', async () => {
    const [first, second] = [await h.user(), await h.user()];
    await h.tracked([anEvent('Signed In', '2026-03-06T09:00:00.000Z', { anonymousId: 'shared-laptop' })], first);

    await h.tracked([anEvent('Signed In', '2026-03-06T10:00:00.000Z', { anonymousId: 'shared-laptop' })], second);
    await h.tracked([anEvent('Page Viewed', '2026-03-06T11:00:00.000Z', { anonymousId: 'shared-laptop' })]);

    const exported = await request(h.app)
      .get('/events/export?from=2026-03-06&to=2026-03-06')
      .set((await h.admin()).auth);
    const lines = exported.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { userId: string | null; personId: string });
    expect(lines.map(({ userId, personId }) => ({ userId, personId }))).toEqual([
      { userId: first.id, personId: first.id },
      { userId: second.id, personId: second.id },
      { userId: null, personId: first.id },
    ]);
    expect(users(await h.report<Series>('/active-users?from=2026-03-06&to=2026-03-06'))).toEqual([2]);
  });

  it('When one batch holds a visitor’s anonymous events and then their sign-in, then all count for the user', async () => {
    const user = await h.user();

    await h.tracked(
      [
        anEvent('Page Viewed', '2026-03-07T09:00:00.000Z', { anonymousId: 'visitor-c' }),
        anEvent('Signed Up', '2026-03-07T09:05:00.000Z', { anonymousId: 'visitor-c' }),
      ],
      user,
    );
    await h.tracked([anEvent('Page Viewed', '2026-03-08T09:00:00.000Z', { anonymousId: 'visitor-d' })]);
    await h.tracked(
      [
        anEvent('Page Viewed', '2026-03-08T09:01:00.000Z', { anonymousId: 'visitor-d' }),
        anEvent('Signed Up', '2026-03-08T09:05:00.000Z', { anonymousId: 'visitor-d' }),
      ],
      user,
    );

    expect(await personsOf('visitor-c')).toEqual([user.id]);
    expect(await personsOf('visitor-d')).toEqual([user.id]);
    expect(users(await h.report<Series>('/active-users?from=2026-03-07&to=2026-03-08'))).toEqual([1, 1]);
  });

  it('When a visitor’s anonymous events and their sign-in arrive at the same moment, then they are one person', async () => {
    const user = await h.user();
    const anonymous = Array.from({ length: 20 }, (_, i) =>
      anEvent('Page Viewed', `2026-03-09T10:${String(i).padStart(2, '0')}:00.000Z`, { anonymousId: 'visitor-e' }),
    );

    await Promise.all([
      ...anonymous.map((event) => h.tracked([event])),
      h.tracked([anEvent('Signed Up', '2026-03-09T10:30:00.000Z', { anonymousId: 'visitor-e' })], user),
    ]);
    await h.rolledUp();

    expect(await personsOf('visitor-e')).toEqual([user.id]);
    expect(users(await h.report<Series>('/active-users?from=2026-03-09&to=2026-03-09'))).toEqual([1]);
  });
});
