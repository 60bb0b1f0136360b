// A 503 with Retry-After (a service whose dependency is down, the gateway's open circuit): a
// request that may safely run twice is sent once more after a short delay; any other write never.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@azora/testing';
import { createAzoraClient, type AzoraClient } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { rejection } from './support/rejection';
import { newUser } from './support/users';

/** One scripted answer: a 503 (with its Retry-After, if any) or the route's success. */
type Answer =
  { unavailable: 'service.dependency_unavailable' | 'gateway.circuit_open'; retryAfter?: string | undefined } | 'ok';

interface Arrival {
  path: string;
  at: number;
  idempotencyKey: string | undefined;
  body: unknown;
}

let gateway: FakeGateway;
/** What each route answers next, per test: keyed by the caller's user id, so tests never share. */
const scripts = new Map<string, Answer[]>();
const arrivals = new Map<string, Arrival[]>();

beforeAll(async () => {
  gateway = await startFakeGateway((app, gw) => {
    app.use(['/api/mint/wallet', '/api/mint/transfers', '/api/education/courses/:id/enroll'], (req, res, next) => {
      const user = gw.requireUser(req, res);
      if (!user) return;
      const path = req.originalUrl.split('?')[0]!;
      const seen = arrivals.get(user.id) ?? [];
      seen.push({ path, at: Date.now(), idempotencyKey: req.get('idempotency-key'), body: req.body });
      arrivals.set(user.id, seen);
      const answer = scripts.get(user.id)?.shift() ?? 'ok';
      if (answer === 'ok') {
        if (path === '/api/mint/wallet') return void res.json({ userId: user.id, balance: 7, currency: 'AZR' });
        return next();
      }
      if (answer.retryAfter !== undefined) res.setHeader('retry-after', answer.retryAfter);
      sendProblem(res, 503, answer.unavailable, 'Its database is not answering');
    });
  });
});

afterAll(async () => {
  await gateway.close();
});

async function signedIn(
  answers: Answer[],
  options: Parameters<typeof createAzoraClient>[0] = { baseUrl: gateway.url },
): Promise<{ client: AzoraClient; arrived: () => Arrival[] }> {
  const client = createAzoraClient(options);
  const { user } = await client.auth.register(newUser());
  scripts.set(user.id, answers);
  return { client, arrived: () => arrivals.get(user.id) ?? [] };
}

const down = (retryAfter?: string): Answer => ({ unavailable: 'service.dependency_unavailable', retryAfter });

test('When a GET is answered 503 with Retry-After 1, then it is sent again after that second and succeeds', async () => {
  const { client, arrived } = await signedIn([down('1')]);

  const wallet = await client.mint.wallet();

  expect(wallet.balance).toBe(7);
  const [first, second] = arrived();
  expect(arrived()).toHaveLength(2);
  // The retry waits the second it was asked to (a timer may fire a millisecond early against Date.now).
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
});

test('When Retry-After is an HTTP date already past, then the GET is sent again at once', async () => {
  const { client, arrived } = await signedIn([down(new Date(Date.now() - 60_000).toUTCString())]);

  await expect(client.mint.wallet()).resolves.toMatchObject({ balance: 7 });
  expect(arrived()).toHaveLength(2);
});

test('When the retry is answered 503 too, then that error is thrown and nothing more is sent', async () => {
  const { client, arrived } = await signedIn([down('0'), down('0')]);

  const error = await rejection(client.mint.wallet());

  expect(error).toMatchObject({ status: 503, code: 'service.dependency_unavailable' });
  expect(arrived()).toHaveLength(2);
});

test('When a transfer (with its Idempotency-Key) meets an open circuit, then it is sent again with the same key and body', async () => {
  const { client, arrived } = await signedIn([{ unavailable: 'gateway.circuit_open', retryAfter: '0' }]);
  const key = randomUUID();
  const toUserId = randomUUID();

  const transfer = await client.mint.transfer({ toUserId, amount: 3, memo: 'lunch' }, { idempotencyKey: key });

  expect(transfer).toMatchObject({ toUserId, amount: 3 });
  expect(arrived().map((a) => a.idempotencyKey)).toEqual([key, key]);
  expect(arrived()[1]!.body).toEqual(arrived()[0]!.body);
});

test('When a write without an Idempotency-Key is answered 503, then it is never sent again', async () => {
  const { client, arrived } = await signedIn([down('0')]);

  const error = await rejection(client.education.enroll(randomUUID()));

  expect(error).toMatchObject({ status: 503, code: 'service.dependency_unavailable' });
  expect(arrived()).toHaveLength(1);
});

test.each([
  ['no Retry-After', undefined],
  ['a Retry-After longer than 5 s', '6'],
  ['a Retry-After that is neither seconds nor a date', 'soon'],
])('When a GET is answered 503 with %s, then it is not retried', async (_case, retryAfter) => {
  const { client, arrived } = await signedIn([down(retryAfter)]);

  const error = await rejection(client.mint.wallet());

  expect(error).toMatchObject({ status: 503, code: 'service.dependency_unavailable' });
  expect(arrived()).toHaveLength(1);
});

test('When maxDelayMs is lowered, then a longer Retry-After is not waited for', async () => {
  const { client, arrived } = await signedIn([down('2')], {
    baseUrl: gateway.url,
    retryUnavailable: { maxDelayMs: 1000 },
  });

  await rejection(client.mint.wallet());

  expect(arrived()).toHaveLength(1);
});

test('When retrying is switched off, then even Retry-After 0 is not retried', async () => {
  const { client, arrived } = await signedIn([down('0')], { baseUrl: gateway.url, retryUnavailable: false });

  await rejection(client.mint.wallet());

  expect(arrived()).toHaveLength(1);
});

test('When the caller aborts during the wait, then the call rejects as aborted without a retry', async () => {
  const { client, arrived } = await signedIn([down('5')]);
  const controller = new AbortController();

  const call = rejection(client.mint.wallet({ signal: controller.signal }));
  await waitFor(() => expect(arrived()).toHaveLength(1), { what: 'the first request' });
  controller.abort();
  const error = await call;

  expect(error).toMatchObject({ status: 0, code: 'client.aborted' });
  expect(arrived()).toHaveLength(1);
});
