// notifications: each method calls its route with the contract's shapes, and stream() yields
// notifications from a real text/event-stream response, resuming from the last one after the
// connection ends.
import type * as C from '@azora/contracts';
import { type Request, type Response } from 'express';
import { readSseStream, type AzoraClient, type Output } from '../src';
import { createNotificationsApi, type EventStreamGetter } from '../src/api/notifications';
import { errorFromResponse } from '../src/errors';
import { type Transport } from '../src/transport';
import { sendProblem, type FakeGateway } from './support/fake-gateway';
import { startSignedInClient, type SignedInClient } from './support/signed-in-client';

let gateway: FakeGateway;
let client: AzoraClient;
let lastRequestOf: SignedInClient['lastRequestOf'];
const id = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';
/** What each stream connection answered with, per connection, in order. */
const streamScripts: Array<(req: Request, res: Response) => void> = [];
const streamRequests: Array<{ lastEventId: string | undefined; authorized: boolean }> = [];

function notification(seq: number): Output<typeof C.Notification> {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    kind: 'enrollment',
    title: `Enrolled ${seq}`,
    body: 'Your first lesson is waiting for you.',
    data: { courseId: id },
    seq,
    createdAt: '2026-03-02T09:00:00.000Z',
    readAt: null,
  };
}

function frame(seq: number): string {
  return `id: ${seq}\nevent: notification\ndata: ${JSON.stringify(notification(seq))}\n\n`;
}

beforeAll(async () => {
  ({ gateway, client, lastRequestOf } = await startSignedInClient((app, gw) => {
    app.get('/api/notifications/stream', (req, res) => {
      const user = gw.requireUser(req, res);
      streamRequests.push({ lastEventId: req.get('last-event-id'), authorized: Boolean(user) });
      if (!user) return;
      const script = streamScripts.shift();
      if (!script) return sendProblem(res, 403, 'auth.forbidden', 'No stream scripted');
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.flushHeaders();
      script(req, res);
    });
  }));
});

afterAll(async () => {
  await gateway.close();
});

/** The GET stream reader the client's event-stream module is to provide, over fetch. */
function fetchGetter(): EventStreamGetter {
  return {
    async *get(path, options = {}) {
      const response = await fetch(`${gateway.url}${path}`, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${client.getTokens().accessToken ?? ''}`,
          ...options.headers,
        },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!response.ok) throw errorFromResponse(response.status, await response.text(), undefined, response.statusText);
      yield* readSseStream(response.body as ReadableStream<Uint8Array>);
    },
  };
}

const noTransport: Transport = { baseUrl: '', call: () => Promise.reject(new Error('not used')) };

describe('notifications routes', () => {
  const browser = {
    endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
    keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
  };
  const cases: Array<[name: string, call: () => Promise<unknown>, method: string, path: string, body?: unknown]> = [
    ['list', () => client.notifications.list({ unread: 'true', limit: 5 }), 'GET', '/api/notifications/'],
    ['unreadCount', () => client.notifications.unreadCount(), 'GET', '/api/notifications/unread-count'],
    ['markRead', () => client.notifications.markRead(id), 'POST', `/api/notifications/${id}/read`],
    ['markUnread', () => client.notifications.markUnread(id), 'POST', `/api/notifications/${id}/unread`],
    ['markAllRead', () => client.notifications.markAllRead(), 'POST', '/api/notifications/read-all'],
    ['getPreferences', () => client.notifications.getPreferences(), 'GET', '/api/notifications/preferences'],
    [
      'updatePreferences',
      () => client.notifications.updatePreferences({ preferences: { enrollment: { email: false } } }),
      'PUT',
      '/api/notifications/preferences',
      { preferences: { enrollment: { email: false } } },
    ],
    ['pushPublicKey', () => client.notifications.pushPublicKey(), 'GET', '/api/notifications/push/public-key'],
    [
      'addPushSubscription',
      () => client.notifications.addPushSubscription(browser),
      'POST',
      '/api/notifications/push-subscriptions',
      browser,
    ],
    [
      'listPushSubscriptions',
      () => client.notifications.listPushSubscriptions(),
      'GET',
      '/api/notifications/push-subscriptions',
    ],
    [
      'removePushSubscription',
      () => client.notifications.removePushSubscription(id),
      'DELETE',
      `/api/notifications/push-subscriptions/${id}`,
    ],
    ['deliveries', () => client.notifications.deliveries({ status: 'failed' }), 'GET', '/api/notifications/deliveries'],
    ['delivery', () => client.notifications.delivery(id), 'GET', `/api/notifications/deliveries/${id}`],
    [
      'retryDelivery',
      () => client.notifications.retryDelivery(id),
      'POST',
      `/api/notifications/deliveries/${id}/retry`,
    ],
    ['mailbox', () => client.notifications.mailbox({ to: 'ada@example.test' }), 'GET', '/api/notifications/mailbox'],
    ['mail', () => client.notifications.mail(id), 'GET', `/api/notifications/mailbox/${id}`],
  ];

  it.each(cases.map(([name, call, method, path, body]) => ({ name, call, method, path, body })))(
    'When notifications.$name is called, then it calls its route',
    async ({ call, method, path, body }) => {
      const recorded = await lastRequestOf(call);
      expect({ method: recorded.method, path: recorded.path }).toEqual({ method, path });
      if (body !== undefined) expect(recorded.body).toEqual(body);
    },
  );

  it('When the inbox is asked for unread ones, then the query carries the filter and the page size', async () => {
    const recorded = await lastRequestOf(() => client.notifications.list({ unread: 'true', limit: 5 }));
    expect(recorded.query).toEqual({ unread: 'true', limit: '5' });
  });
});

describe('notifications.stream()', () => {
  it('When notifications arrive, then each is yielded whole, heartbeats and other events skipped', async () => {
    streamScripts.push((_req, res) => {
      res.write(`: notifications after 0\n\nretry: 10\n${frame(1)}`);
      res.write(': heartbeat\n\nevent: other\ndata: {}\n\n');
      res.write(frame(2));
    });
    const api = createNotificationsApi(noTransport, fetchGetter());

    const got: number[] = [];
    for await (const n of api.stream()) {
      got.push(n.seq);
      if (got.length === 2) break;
    }

    expect(got).toEqual([1, 2]);
  });

  it('When the connection ends, then it reconnects from the last notification it yielded', async () => {
    const before = streamRequests.length;
    streamScripts.push((_req, res) => {
      res.write(`retry: 10\n${frame(4)}${frame(5)}`);
      res.end();
    });
    streamScripts.push((_req, res) => res.write(frame(6)));
    const api = createNotificationsApi(noTransport, fetchGetter());

    const got: number[] = [];
    for await (const n of api.stream({ lastEventId: 3 })) {
      got.push(n.seq);
      if (got.length === 3) break;
    }

    expect(got).toEqual([4, 5, 6]);
    expect(streamRequests.slice(before).map((r) => r.lastEventId)).toEqual(['3', '5']);
  });

  it('When the stream is refused with a problem, then the loop rejects with an AzoraApiError', async () => {
    const api = createNotificationsApi(noTransport, fetchGetter());

    const consume = async () => {
      for await (const _n of api.stream()) {
        // nothing is scripted: the route answers 403
      }
    };

    await expect(consume()).rejects.toMatchObject({ status: 403, code: 'auth.forbidden' });
  });

  it('When reconnecting is off, then the loop ends with the connection', async () => {
    streamScripts.push((_req, res) => {
      res.write(frame(7));
      res.end();
    });
    const api = createNotificationsApi(noTransport, fetchGetter());

    const got: number[] = [];
    for await (const n of api.stream({ reconnect: false })) got.push(n.seq);

    expect(got).toEqual([7]);
  });

  it('When the client has no stream reader, then stream() says so', async () => {
    const api = createNotificationsApi(noTransport);
    await expect(api.stream().next()).rejects.toThrow(/stream reader/);
  });
});
