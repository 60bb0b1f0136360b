// The client's session against a real HTTP server: tokens kept from register and login, the
// expired access token refreshed once (and only once for concurrent requests), and a failed
// refresh ending the session.
import { waitFor } from '@azora/testing';
import { createAzoraClient, type AzoraTokens } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { rejection } from './support/rejection';
import { newUser } from './support/users';

let gateway: FakeGateway;
let alwaysExpiredHits = 0;
let slowRouteGate: Promise<void> = Promise.resolve();
let slowRouteArrivals = 0;

beforeAll(async () => {
  gateway = await startFakeGateway((app) => {
    app.get('/api/monitoring/status', (_req, res) => {
      alwaysExpiredHits++;
      sendProblem(res, 401, 'auth.token_expired', 'The access token has expired');
    });
    // Checks the token only once the test lets it go on.
    app.get('/api/forge/jobs/recommended', async (req, res) => {
      slowRouteArrivals++;
      await slowRouteGate;
      const user = gateway.requireUser(req, res);
      if (user) res.json({ items: [], for: user.id });
    });
  });
});

afterAll(async () => {
  await gateway.close();
});

describe('refresh and retry', () => {
  test('When the access token has expired, then the client refreshes once, calls onTokenRefresh and the retry succeeds', async () => {
    const refreshed: AzoraTokens[] = [];
    const client = createAzoraClient({ baseUrl: gateway.url, onTokenRefresh: (tokens) => void refreshed.push(tokens) });
    const registered = await client.auth.register(newUser());
    gateway.expireAccessTokens();
    const refreshesBefore = gateway.refreshCalls;

    const me = await client.auth.me();

    expect(me.id).toBe(registered.user.id);
    expect(gateway.refreshCalls - refreshesBefore).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toEqual(client.getTokens());
    expect(refreshed[0]?.accessToken).not.toBe(registered.accessToken);
    expect(refreshed[0]?.refreshToken).not.toBe(registered.refreshToken);
  });

  test('When a POST with a body meets an expired token, then the retry sends the same body and headers', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    await client.auth.register(newUser());
    gateway.expireAccessTokens();
    const toUserId = crypto.randomUUID();

    const result = await client.mint.transfer(
      { toUserId, amount: 5, memo: 'lunch' },
      { idempotencyKey: 'key-retry-1' },
    );

    const sent = gateway.recorded.filter((r) => r.headers['idempotency-key'] === 'key-retry-1');
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.body)).toEqual([
      { toUserId, amount: 5, memo: 'lunch' },
      { toUserId, amount: 5, memo: 'lunch' },
    ]);
    expect(result).toMatchObject({ toUserId, amount: 5 });
  });

  test('When three requests meet an expired token at once, then one refresh serves them all', async () => {
    const onTokenRefresh = jest.fn();
    const client = createAzoraClient({ baseUrl: gateway.url, onTokenRefresh });
    const { user } = await client.auth.register(newUser());
    gateway.expireAccessTokens();
    const refreshesBefore = gateway.refreshCalls;
    const rejectionsBefore = gateway.expiredRejections;
    const release = gateway.holdRefreshes();

    const calls = [client.auth.me(), client.auth.me(), client.auth.me()];
    await waitFor(() => expect(gateway.expiredRejections - rejectionsBefore).toBe(3), { what: 'three 401s' });
    release();
    const answers = await Promise.all(calls);

    expect(answers.map((a) => a.id)).toEqual([user.id, user.id, user.id]);
    expect(gateway.refreshCalls - refreshesBefore).toBe(1);
    expect(onTokenRefresh).toHaveBeenCalledTimes(1);
  });

  test('When the refresh token is rejected, then the call throws that AzoraApiError and the tokens are cleared', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    await client.auth.register(newUser());
    gateway.expireAccessTokens();
    gateway.revokeRefreshTokens();

    const error = await rejection(client.auth.me());

    expect(error).toMatchObject({ status: 401, code: 'auth.invalid_refresh_token', title: 'Unauthorized' });
    expect(error.requestId).toEqual(expect.any(String));
    expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
  });

  test('When concurrent requests meet a rejected refresh, then each rejects and only one refresh was tried', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    await client.auth.register(newUser());
    gateway.expireAccessTokens();
    gateway.revokeRefreshTokens();
    const refreshesBefore = gateway.refreshCalls;
    const rejectionsBefore = gateway.expiredRejections;
    const release = gateway.holdRefreshes();

    const calls = [rejection(client.auth.me()), rejection(client.auth.me())];
    await waitFor(() => expect(gateway.expiredRejections - rejectionsBefore).toBe(2), { what: 'two 401s' });
    release();
    const errors = await Promise.all(calls);

    expect(errors.map((e) => e.code)).toEqual(['auth.invalid_refresh_token', 'auth.invalid_refresh_token']);
    expect(gateway.refreshCalls - refreshesBefore).toBe(1);
  });

  test('When the tokens are cleared while a refresh is under way, then its new tokens are discarded', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    await client.auth.register(newUser());
    gateway.expireAccessTokens();
    const refreshesBefore = gateway.refreshCalls;
    const release = gateway.holdRefreshes();

    const call = rejection(client.auth.me());
    await waitFor(() => expect(gateway.refreshCalls - refreshesBefore).toBe(1), { what: 'the refresh' });
    client.clearTokens();
    release();
    const error = await call;

    expect(error).toMatchObject({ status: 401, code: 'client.no_refresh_token' });
    expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
  });

  test('When the retried request is refused again, then the client does not refresh a second time', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    await client.auth.register(newUser());
    const refreshesBefore = gateway.refreshCalls;

    // This route answers 401 "expired" to every token, the refreshed one included.
    const error = await rejection(client.monitoring.status());

    expect(error.code).toBe('auth.token_expired');
    expect(alwaysExpiredHits).toBe(2);
    expect(gateway.refreshCalls - refreshesBefore).toBe(1);
  });

  test('When a request sent with the old token is refused after another one refreshed, then it is retried without a second refresh', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    const { user } = await client.auth.register(newUser());
    gateway.expireAccessTokens();
    let releaseSlow!: () => void;
    slowRouteGate = new Promise((resolve) => (releaseSlow = resolve));
    const arrivalsBefore = slowRouteArrivals;
    const refreshesBefore = gateway.refreshCalls;

    const slow = client.forge.recommendedJobs();
    await waitFor(() => expect(slowRouteArrivals - arrivalsBefore).toBe(1), { what: 'the slow request' });
    await client.auth.me();
    releaseSlow();

    await expect(slow).resolves.toEqual({ items: [], for: user.id });
    expect(slowRouteArrivals - arrivalsBefore).toBe(2);
    expect(gateway.refreshCalls - refreshesBefore).toBe(1);
  });

  test('When a 401 arrives and no refresh token is held, then it is thrown without a refresh', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url, token: 'not-a-token-the-gateway-issued' });
    const refreshesBefore = gateway.refreshCalls;

    const error = await rejection(client.auth.me());

    expect(error).toMatchObject({ status: 401, code: 'auth.invalid_token' });
    expect(gateway.refreshCalls).toBe(refreshesBefore);
  });

  test('When login fails, then no refresh is tried and the credentials problem is thrown', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    client.setTokens({ accessToken: 'x'.repeat(30), refreshToken: 'y'.repeat(30) });
    const refreshesBefore = gateway.refreshCalls;

    const error = await rejection(client.auth.login({ email: 'nobody@example.test', password: 'wrong password 1' }));

    expect(error).toMatchObject({ status: 401, code: 'auth.invalid_credentials' });
    expect(gateway.refreshCalls).toBe(refreshesBefore);
  });

  test('When auth.refresh is called, then the tokens rotate and onTokenRefresh hears of it', async () => {
    const onTokenRefresh = jest.fn();
    const client = createAzoraClient({ baseUrl: gateway.url, onTokenRefresh });
    const registered = await client.auth.register(newUser());

    const refreshed = await client.auth.refresh();

    expect(refreshed.refreshToken).not.toBe(registered.refreshToken);
    expect(client.getTokens().refreshToken).toBe(refreshed.refreshToken);
    expect(onTokenRefresh).toHaveBeenCalledWith(
      { accessToken: refreshed.accessToken, refreshToken: refreshed.refreshToken },
      refreshed,
    );
  });
});
