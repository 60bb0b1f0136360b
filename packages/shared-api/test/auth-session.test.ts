// The client's tokens against a real HTTP server: kept from register and login, sent on every
// request, changed by setTokens and clearTokens, forgotten on logout.
import { createAzoraClient } from '../src';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { newUser } from './support/users';

let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway();
});

afterAll(async () => {
  await gateway.close();
});

describe('tokens', () => {
  test('When a user registers, then the client holds the tokens and me answers with that user', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });

    const registered = await client.auth.register(newUser({ name: 'Grace' }));
    const me = await client.auth.me();

    expect(client.getTokens()).toEqual({ accessToken: registered.accessToken, refreshToken: registered.refreshToken });
    expect(me).toEqual(registered.user);
    expect(me.name).toBe('Grace');
  });

  test('When a user logs in with another client, then that client holds fresh tokens of the same user', async () => {
    const body = newUser();
    const registered = await createAzoraClient({ baseUrl: gateway.url }).auth.register(body);
    const client = createAzoraClient({ baseUrl: gateway.url });

    const loggedIn = await client.auth.login({ email: body.email, password: body.password });

    expect(loggedIn.user.id).toBe(registered.user.id);
    expect(client.getTokens().accessToken).toBe(loggedIn.accessToken);
    expect(loggedIn.accessToken).not.toBe(registered.accessToken);
    expect((await client.auth.me()).id).toBe(registered.user.id);
  });

  test('When a client is created with a token, then its requests carry it', async () => {
    const { accessToken, user } = await createAzoraClient({ baseUrl: gateway.url }).auth.register(newUser());

    const client = createAzoraClient({ baseUrl: `${gateway.url}/`, token: accessToken });

    expect((await client.auth.me()).id).toBe(user.id);
    expect(client.getTokens()).toEqual({ accessToken, refreshToken: null });
  });

  test('When the user logs out, then the held refresh token is sent and both tokens are forgotten', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    const { refreshToken } = await client.auth.register(newUser());

    await expect(client.auth.logout()).resolves.toBeUndefined();

    const logout = gateway.recorded.filter((r) => r.path === '/api/auth/logout').at(-1);
    expect(logout?.body).toEqual({ refreshToken });
    expect(logout?.headers['authorization']).toBeUndefined();
    expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
  });

  test('When the user logs out of every session, then the access token is sent with an empty body', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });
    const { accessToken } = await client.auth.register(newUser());

    await client.auth.logout({});

    const logout = gateway.recorded.filter((r) => r.path === '/api/auth/logout').at(-1);
    expect(logout?.body).toEqual({});
    expect(logout?.headers['authorization']).toBe(`Bearer ${accessToken}`);
    expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
  });

  test('When setTokens and clearTokens are called, then getTokens reflects each change', async () => {
    const client = createAzoraClient({ baseUrl: gateway.url });

    client.setTokens({ accessToken: 'a'.repeat(30), refreshToken: 'r'.repeat(30) });
    const both = client.getTokens();
    client.setTokens({ accessToken: 'b'.repeat(30) });
    const newAccess = client.getTokens();
    client.clearTokens();

    expect(both).toEqual({ accessToken: 'a'.repeat(30), refreshToken: 'r'.repeat(30) });
    expect(newAccess).toEqual({ accessToken: 'b'.repeat(30), refreshToken: 'r'.repeat(30) });
    expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
  });
});
