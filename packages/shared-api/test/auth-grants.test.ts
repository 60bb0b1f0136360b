// auth.setGrants: an admin replaces a user's grants. The method sends PUT with the body as given
// and the admin's token, answers the contract's User, and a refusal surfaces as AzoraApiError.
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import { createAzoraClient, isAzoraApiError, type AzoraClient } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway, type RecordedRequest } from './support/fake-gateway';
import { rejection } from './support/rejection';
import { newUser } from './support/users';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Auth = AzoraClient['auth'];

assertType<Equal<Arg<Auth['setGrants']>, string>>();
assertType<Equal<Arg<Auth['setGrants'], 1>, z.input<typeof C.SetGrantsRequest>>>();
assertType<Equal<Result<Auth['setGrants']>, z.output<typeof C.User>>>();

const knownUser = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';
let gateway: FakeGateway;
let client: AzoraClient;
let received: RecordedRequest | undefined;

beforeAll(async () => {
  gateway = await startFakeGateway((app) => {
    app.put('/api/auth/users/:id/grants', (req, res) => {
      received = { method: req.method, path: req.path, query: {}, body: req.body, headers: req.headers };
      if (req.params.id !== knownUser) {
        sendProblem(res, 404, 'user.not_found', `No user has the id ${req.params.id}`);
        return;
      }
      const user: C.User = {
        id: knownUser,
        email: 'reader@example.test',
        name: 'Reader',
        role: 'student',
        grants: (req.body as { grants: C.UserGrant[] }).grants,
        createdAt: '2026-03-01T00:00:00.000Z',
      };
      res.json(user);
    });
  });
  client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
});

afterAll(async () => {
  await gateway.close();
});

test('When an admin grants analytics:read, then PUT carries the grants and the token, and the user comes back', async () => {
  const user = await client.auth.setGrants(knownUser, { grants: ['analytics:read'] });

  expect(received?.method).toBe('PUT');
  expect(received?.path).toBe(`/api/auth/users/${knownUser}/grants`);
  expect(received?.body).toEqual({ grants: ['analytics:read'] });
  expect(received?.headers['authorization']).toBe(`Bearer ${client.getTokens().accessToken}`);
  expect(user).toMatchObject({ id: knownUser, grants: ['analytics:read'] });
});

test('When an admin sets an empty list, then the grants are revoked', async () => {
  const user = await client.auth.setGrants(knownUser, { grants: [] });

  expect(received?.body).toEqual({ grants: [] });
  expect(user.grants).toEqual([]);
});

test('When the user does not exist, then an AzoraApiError with code user.not_found and status 404', async () => {
  const error = await rejection(client.auth.setGrants('9e8d7c6b-5a49-4382-b1c0-d9e8f7a6b5c4', { grants: [] }));

  expect(isAzoraApiError(error)).toBe(true);
  expect(error).toMatchObject({ status: 404, code: 'user.not_found' });
});
