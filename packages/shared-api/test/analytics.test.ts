// The analytics namespace: each method calls its route with the contract's request shape, its
// types are the contracts' (checked by the compiler), and a refused batch surfaces as one
// AzoraApiError whose issues name the bad events by index.
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import { createAzoraClient, isAzoraApiError, type AzoraClient } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { rejection } from './support/rejection';
import { newUser } from './support/users';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Analytics = AzoraClient['analytics'];

assertType<Equal<Arg<Analytics['track']>, z.input<typeof C.TrackRequest>>>();
assertType<Equal<Result<Analytics['track']>, z.output<typeof C.TrackResult>>>();
assertType<Equal<Arg<Analytics['activeUsers']>, z.input<typeof C.ActiveUsersQuery> | undefined>>();
assertType<Equal<Result<Analytics['activeUsers']>, z.output<typeof C.ActiveUsersReport>>>();
assertType<Equal<Arg<Analytics['eventCounts']>, z.input<typeof C.EventCountsQuery> | undefined>>();
assertType<Equal<Result<Analytics['eventCounts']>, z.output<typeof C.EventCountsReport>>>();
assertType<Equal<Arg<Analytics['funnel']>, z.input<typeof C.FunnelRequest>>>();
assertType<Equal<Result<Analytics['funnel']>, z.output<typeof C.FunnelReport>>>();
assertType<Equal<Arg<Analytics['retention']>, z.input<typeof C.RetentionQuery> | undefined>>();
assertType<Equal<Result<Analytics['retention']>, z.output<typeof C.RetentionReport>>>();

const eventId = '6f0c2b8e-1d3a-4e5f-9a7b-2c4d6e8f0a1b';
let gateway: FakeGateway;
let client: AzoraClient;
let trackedBody: unknown;

beforeAll(async () => {
  gateway = await startFakeGateway((app) => {
    app.post('/api/analytics/track', (req, res) => {
      trackedBody = req.body;
      const events = (req.body as { events: Array<{ name: string }> }).events;
      const bad = events.flatMap((e, i) => (e.name.startsWith('9') ? [i] : []));
      if (bad.length === 0) {
        res.status(202).json({ received: events.length, stored: events.length, duplicates: 0 });
        return;
      }
      const issues = bad.map((i) => ({
        path: `body.events.${i}.name`,
        message: 'a letter first',
        code: 'invalid_format',
      }));
      sendProblem(res, 400, 'request.validation_failed', 'some events are invalid', { issues });
    });
  });
  client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
});

afterAll(async () => {
  await gateway.close();
});

const last = () => gateway.recorded[gateway.recorded.length - 1]!;

test('When a batch is tracked, then its events are posted as given and the 202 answer is returned', async () => {
  const events = [
    { id: eventId, name: 'Course Viewed', timestamp: '2026-03-11T10:00:00.000Z', properties: { courseId: 'c1' } },
    { name: 'Page Viewed', timestamp: '2026-03-11T10:01:00+02:00', anonymousId: 'visitor-1' },
  ];

  const result = await client.analytics.track({ events });

  expect(trackedBody).toEqual({ events });
  expect(result).toEqual({ received: 2, stored: 2, duplicates: 0 });
});

test('When a batch is refused, then one AzoraApiError carries each bad event by index', async () => {
  const error = await rejection(
    client.analytics.track({
      events: [
        { name: 'Fine', timestamp: '2026-03-11T10:00:00Z' },
        { name: '9 Bad', timestamp: '2026-03-11T10:00:00Z' },
      ],
    }),
  );

  expect(isAzoraApiError(error)).toBe(true);
  expect(error).toMatchObject({ status: 400, code: 'request.validation_failed' });
  expect(error.problem?.issues).toEqual([expect.objectContaining({ path: 'body.events.1.name' })]);
});

test('When reports are asked, then their parameters travel as the query and bodies as given', async () => {
  await client.analytics.activeUsers({ interval: 'week', from: '2026-02-01', to: '2026-03-01' });
  expect(last()).toMatchObject({
    method: 'GET',
    path: '/api/analytics/active-users',
    query: { interval: 'week', from: '2026-02-01', to: '2026-03-01' },
  });

  await client.analytics.eventCounts({ name: 'Course Viewed', interval: 'hour' });
  expect(last()).toMatchObject({
    path: '/api/analytics/events/counts',
    query: { name: 'Course Viewed', interval: 'hour' },
  });

  await client.analytics.retention();
  expect(last()).toMatchObject({ method: 'GET', path: '/api/analytics/retention', query: {} });

  const funnel = { steps: ['Course Viewed', 'Enroll Clicked'], windowHours: 48, from: '2026-03-01' };
  await client.analytics.funnel(funnel);
  expect(last()).toMatchObject({ method: 'POST', path: '/api/analytics/funnels', body: funnel });
});
