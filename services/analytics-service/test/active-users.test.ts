// DAU, WAU and MAU on a small crafted dataset whose answers are known by hand. Days are UTC:
// an event sent as 01:30 at +02:00 belongs to the UTC day before; weeks start on Monday.
import { anEvent, byStart } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

type Series = { series: Array<{ start: string; users: number }> };

describe('active users', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
    const [alice, bob, carol, dave] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
    await h.tracked(
      [
        anEvent('Page Viewed', '2026-02-27T10:00:00.000Z'),
        anEvent('Page Viewed', '2026-02-28T23:59:59.999Z'),
        anEvent('Page Viewed', '2026-03-01T00:00:00.000Z'),
        anEvent('Page Viewed', '2026-03-02T09:00:00.000Z'),
        anEvent('Lesson Opened', '2026-03-02T09:05:00.000Z'),
      ],
      alice,
    );
    await h.tracked(
      [
        anEvent('Page Viewed', '2026-03-01T12:00:00.000Z'),
        anEvent('Page Viewed', '2026-03-02T01:30:00+02:00'),
        anEvent('Page Viewed', '2026-03-09T08:00:00.000Z'),
      ],
      bob,
    );
    await h.tracked([
      anEvent('Page Viewed', '2026-03-02T10:00:00.000Z', { anonymousId: 'visitor-1' }),
      anEvent('Page Viewed', '2026-03-03T10:00:00.000Z', { anonymousId: 'visitor-1' }),
    ]);
    const registered = h.busEvent(
      'identity.user.registered',
      { userId: carol!.id, email: 'carol@example.com', name: 'Carol', role: 'student' },
      { occurredAt: '2026-03-03T15:00:00.000Z', subject: carol!.id },
    );
    const notified = h.busEvent(
      'notification.delivered',
      { notificationId: '00000000-0000-4000-8000-000000000001', channel: 'email', userId: dave!.id },
      { occurredAt: '2026-03-03T16:00:00.000Z', subject: dave!.id },
    );
    expect((await h.deliver([registered, notified])).status).toBe(200);
  });
  afterAll(() => h.close());

  it('When DAU is asked over a range, then each UTC day counts its distinct people, zeros included', async () => {
    const report = await h.report<Series & { from: string; to: string }>(
      '/active-users?interval=day&from=2026-02-27&to=2026-03-09',
    );

    expect(byStart(report.series, 'users')).toEqual({
      '2026-02-27': 1,
      '2026-02-28': 1,
      '2026-03-01': 2,
      '2026-03-02': 2,
      '2026-03-03': 2,
      '2026-03-04': 0,
      '2026-03-05': 0,
      '2026-03-06': 0,
      '2026-03-07': 0,
      '2026-03-08': 0,
      '2026-03-09': 1,
    });
    expect(report).toMatchObject({ from: '2026-02-27T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' });
  });

  it('When WAU is asked, then each ISO week (from Monday) counts its distinct people', async () => {
    const report = await h.report<Series>('/active-users?interval=week&from=2026-02-23&to=2026-03-11');

    expect(byStart(report.series, 'users')).toEqual({ '2026-02-23': 2, '2026-03-02': 3, '2026-03-09': 1 });
  });

  it('When MAU is asked, then each calendar month counts its distinct people', async () => {
    const report = await h.report<Series>('/active-users?interval=month&from=2026-02-01&to=2026-03-31');

    expect(byStart(report.series, 'users')).toEqual({ '2026-02-01': 1, '2026-03-01': 4 });
  });

  it('When no range is given, then the last 30 days through today are shown', async () => {
    const report = await h.report<Series>('/active-users');

    expect(report.series).toHaveLength(30);
    expect(report.series[29]).toEqual({ start: '2026-03-11T00:00:00.000Z', users: 0 });
    expect(report.series[0]?.start).toBe('2026-02-10T00:00:00.000Z');
  });
});
