// Every event type of the bus catalog is ingested under its own name, exactly once however
// often Nexus delivers it, counted for the person who acted (nobody, for what the platform
// does to someone), and skipped when it is older than raw retention.
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventData, type EventType } from '@azora/contracts';
import { startAnalytics, type Harness } from './support/harness';

const NOW = '2026-03-11T12:00:00.000Z';
const ids = { user: randomUUID(), other: randomUUID(), course: randomUUID(), lesson: randomUUID(), job: randomUUID() };

/** Valid data for every catalog type, acted by ids.user where someone acts. */
const SAMPLE: { [T in EventType]: EventData<T> } = {
  'identity.user.registered': { userId: ids.user, email: 'ada@example.com', name: 'Ada', role: 'student' },
  'education.course.published': { courseId: ids.course, title: 'Soil', skills: ['agronomy'] },
  'education.enrollment.created': { courseId: ids.course, userId: ids.user },
  'education.lesson.completed': {
    courseId: ids.course,
    lessonId: ids.lesson,
    userId: ids.user,
    authorIds: [ids.other],
    rewardEligible: true,
  },
  'education.course.completed': {
    courseId: ids.course,
    userId: ids.user,
    skills: ['agronomy'],
    authorIds: [ids.other],
    rewardEligible: true,
  },
  'mint.transfer.completed': { transferId: randomUUID(), from: ids.user, to: ids.other, amount: 5, kind: 'transfer' },
  'forge.job.posted': { jobId: ids.job, employerId: ids.user, skills: ['sql'], reward: 50 },
  'forge.application.status_changed': {
    applicationId: randomUUID(),
    jobId: ids.job,
    userId: ids.user,
    status: 'applied',
  },
  'forge.job.completed': {
    jobId: ids.job,
    workerId: ids.other,
    reward: 50,
    employerId: ids.user,
    employerVerified: true,
  },
  'pay.payment.succeeded': {
    paymentId: randomUUID(),
    userId: ids.user,
    purpose: 'tokens',
    amount: 500,
    currency: 'USD',
  },
  'pay.payment.failed': { paymentId: randomUUID(), userId: ids.user, purpose: 'tokens', amount: 500, currency: 'USD' },
  'pay.payment.refunded': {
    paymentId: randomUUID(),
    userId: ids.user,
    purpose: 'tokens',
    amount: 500,
    currency: 'USD',
  },
  'ai.conversation.message': { conversationId: randomUUID(), userId: ids.user, persona: 'elara', tokens: 120 },
  'notification.delivered': { notificationId: randomUUID(), channel: 'email', userId: ids.user },
  'notification.failed': { notificationId: randomUUID(), channel: 'push', userId: ids.user },
};

/** Types where nobody acts: the platform did something to someone. */
const NOBODY_ACTS = ['pay.payment.refunded', 'notification.delivered', 'notification.failed'];

describe('bus ingestion', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: NOW, settings: { rawRetentionDays: 60 } });
  });
  afterAll(() => h.close());

  const stored = async (ids: string[]) =>
    (
      await h.pool.query<{ id: string; name: string; source: string; person_id: string | null; properties: object }>(
        'SELECT id, name, source, person_id, properties FROM events WHERE id = ANY($1::uuid[]) ORDER BY name',
        [ids],
      )
    ).rows;

  it('When an event of every catalog type is delivered, then each is stored once under its own type name', async () => {
    const events = EVENT_TYPES.map((type) =>
      h.busEvent(type, SAMPLE[type] as never, { occurredAt: '2026-03-11T11:00:00.000Z', subject: ids.user }),
    );

    const res = await h.deliver(events);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ handled: EVENT_TYPES.length, duplicates: 0 });
    const rows = await stored(events.map((e) => e.id));
    expect(rows.map((r) => r.name)).toEqual([...EVENT_TYPES].sort());
    for (const row of rows) {
      expect(row.source).toBe('bus');
      expect(row.properties).toEqual(SAMPLE[row.name as EventType]);
      expect(row.person_id).toBe(NOBODY_ACTS.includes(row.name) ? null : ids.user);
    }
  });

  it('When Nexus delivers the same events again, alone or together, then nothing is stored twice', async () => {
    const user = randomUUID();
    const event = h.busEvent(
      'education.enrollment.created',
      { courseId: ids.course, userId: user },
      { occurredAt: '2026-03-10T08:00:00.000Z' },
    );

    const first = await h.deliver([event, event]);
    const again = await h.deliver([event]);

    expect(first.body).toEqual({ handled: 1, duplicates: 1 });
    expect(again.body).toEqual({ handled: 0, duplicates: 1 });
    expect(await stored([event.id])).toHaveLength(1);
    const counts = await h.report<{ total: number }>(
      '/events/counts?name=education.enrollment.created&interval=day&from=2026-03-10&to=2026-03-10',
    );
    expect(counts.total).toBe(1);
  });

  it('When the actor of a bus event is active, then DAU counts them; a notification makes nobody active', async () => {
    const learner = randomUUID();
    const recipient = randomUUID();
    const day = '2026-03-05';
    await h.deliver([
      h.busEvent(
        'education.lesson.completed',
        { ...SAMPLE['education.lesson.completed'], userId: learner },
        {
          occurredAt: `${day}T10:00:00.000Z`,
        },
      ),
      h.busEvent(
        'notification.delivered',
        { ...SAMPLE['notification.delivered'], userId: recipient },
        {
          occurredAt: `${day}T11:00:00.000Z`,
        },
      ),
    ]);

    const dau = await h.report<{ series: Array<{ users: number }> }>(`/active-users?from=${day}&to=${day}`);

    expect(dau.series).toEqual([{ start: `${day}T00:00:00.000Z`, users: 1 }]);
  });

  it('When a replayed event is older than raw retention, then it is acknowledged and not stored', async () => {
    const old = h.busEvent('education.enrollment.created', SAMPLE['education.enrollment.created'], {
      occurredAt: '2025-12-01T00:00:00.000Z',
    });

    const res = await h.deliver([old]);

    expect(res.body).toEqual({ handled: 1, duplicates: 0 });
    expect(await stored([old.id])).toEqual([]);
  });

  it('When a bus event comes from a service that does not own its type, then it is not stored', async () => {
    const forged = h.busEvent('pay.payment.succeeded', SAMPLE['pay.payment.succeeded'], {
      source: 'azora-education',
      occurredAt: '2026-03-11T10:00:00.000Z',
    });

    const res = await h.deliver([forged]);

    expect(res.status).toBe(200);
    expect(await stored([forged.id])).toEqual([]);
  });
});
