// An access token that really expired: the typed client refreshes it once through the real
// gateway and the call goes through; the expired token itself is refused everywhere.
import { randomUUID } from 'node:crypto';
import { createAzoraClient } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { startPlatform, type Platform } from './support/platform';

describe('an expired access token', () => {
  let db: TestDatabase;
  let platform: Platform;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, [], { 'api-gateway': { ACCESS_TOKEN_TTL_SECONDS: '5' } });
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('When the access token has expired, then the client refreshes it once and the request succeeds', async () => {
    const first = createAzoraClient({ baseUrl: platform.gatewayUrl });
    const registered = await first.auth.register({
      email: `exp-${randomUUID().slice(0, 8)}@azora.test`,
      password: 'expiring-soon-7',
      name: 'Eve',
      role: 'student',
    });

    // Wait (bounded) until the gateway itself calls the token expired.
    await waitFor(
      async () => {
        const res = await fetch(`${platform.gatewayUrl}/api/auth/me`, {
          headers: { authorization: `Bearer ${registered.accessToken}` },
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { code: string }).code).toBe('auth.token_expired');
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the access token to expire' },
    );

    const refreshed: string[] = [];
    const resumed = createAzoraClient({
      baseUrl: platform.gatewayUrl,
      token: registered.accessToken,
      refreshToken: registered.refreshToken,
      onTokenRefresh: ({ accessToken }) => {
        refreshed.push(accessToken);
      },
    });
    expect((await resumed.auth.me()).id).toBe(registered.user.id);
    expect(refreshed).toHaveLength(1);
    expect(resumed.getTokens().refreshToken).not.toBe(registered.refreshToken); // rotated
  });
});
