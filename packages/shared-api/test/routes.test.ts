// Each client method calls its route: the method, the path under /api/<service>, the query and
// the body, with path parameters encoded and the Idempotency-Key header on transfers.
import { createAzoraClient, type AzoraClient } from '../src';
import type { FakeGateway } from './support/fake-gateway';
import { startSignedInClient, UUID_V4, type SignedInClient } from './support/signed-in-client';
import { newUser } from './support/users';

let gateway: FakeGateway;
let client: AzoraClient;
let lastRequestOf: SignedInClient['lastRequestOf'];
const id = '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b';
const other = '9e8d7c6b-5a49-4382-b1c0-d9e8f7a6b5c4';

beforeAll(async () => {
  ({ gateway, client, lastRequestOf } = await startSignedInClient());
});

afterAll(async () => {
  await gateway.close();
});

type RouteCase = [name: string, call: () => Promise<unknown>, method: string, path: string, body?: unknown];

const cases: RouteCase[] = [
  ['education.listCourses', () => client.education.listCourses({ q: 'rust' }), 'GET', '/api/education/courses'],
  ['education.getCourse', () => client.education.getCourse(id), 'GET', `/api/education/courses/${id}`],
  [
    'education.updateCourse',
    () => client.education.updateCourse(id, { title: 'New' }),
    'PATCH',
    `/api/education/courses/${id}`,
    { title: 'New' },
  ],
  ['education.courseStats', () => client.education.courseStats(id), 'GET', `/api/education/courses/${id}/stats`],
  [
    'education.updateLesson',
    () => client.education.updateLesson(id, other, { position: 2 }),
    'PATCH',
    `/api/education/courses/${id}/lessons/${other}`,
    { position: 2 },
  ],
  [
    'education.createCourse',
    () => client.education.createCourse({ title: 'T', description: 'D', priceCents: 0, currency: 'USD' }),
    'POST',
    '/api/education/courses',
    { title: 'T', description: 'D', priceCents: 0, currency: 'USD' },
  ],
  [
    'education.addLesson',
    () => client.education.addLesson(id, { title: 'L', content: 'C', position: 1 }),
    'POST',
    `/api/education/courses/${id}/lessons`,
    { title: 'L', content: 'C', position: 1 },
  ],
  ['education.publishCourse', () => client.education.publishCourse(id), 'POST', `/api/education/courses/${id}/publish`],
  [
    'education.setRewardEligibility',
    () => client.education.setRewardEligibility(id, { eligible: true }),
    'POST',
    `/api/education/courses/${id}/rewards`,
    { eligible: true },
  ],
  ['education.enroll', () => client.education.enroll(id), 'POST', `/api/education/courses/${id}/enroll`],
  [
    'education.completeLesson',
    () => client.education.completeLesson(id, other),
    'POST',
    `/api/education/courses/${id}/lessons/${other}/complete`,
  ],
  ['education.myEnrollments', () => client.education.myEnrollments(), 'GET', '/api/education/me/enrollments'],
  ['mint.wallet', () => client.mint.wallet(), 'GET', '/api/mint/wallet'],
  ['mint.transactions', () => client.mint.transactions({ cursor: 'abc' }), 'GET', '/api/mint/wallet/transactions'],
  ['mint.getWallet', () => client.mint.getWallet(other), 'GET', `/api/mint/wallets/${other}`],
  [
    'mint.walletTransactions',
    () => client.mint.walletTransactions(other, { limit: 5 }),
    'GET',
    `/api/mint/wallets/${other}/transactions`,
  ],
  ['mint.rewards', () => client.mint.rewards({ limit: 5 }), 'GET', '/api/mint/wallet/rewards'],
  ['mint.walletRewards', () => client.mint.walletRewards(other), 'GET', `/api/mint/wallets/${other}/rewards`],
  ['mint.auditTrail', () => client.mint.auditTrail(), 'GET', '/api/mint/admin/audit'],
  ['mint.checkLedger', () => client.mint.checkLedger(), 'GET', '/api/mint/admin/ledger/check'],
];

const rows = cases.map(([name, call, method, path, body]) => ({ name, call, method, path, body }));

test.each(rows)(
  'When $name is called, then it sends its method and path with the access token',
  async ({ call, method, path, body }) => {
    const request = await lastRequestOf(call);

    expect(request.method).toBe(method);
    expect(request.path).toBe(path);
    expect(request.headers['authorization']).toBe(`Bearer ${client.getTokens().accessToken}`);
    if (body !== undefined) expect(request.body).toEqual(body);
  },
);

// Forge, AI, Pay, Notifications, Analytics and Monitoring check their own methods in test/<area>.test.ts.
test('When every route method is listed, then none of the namespaces has a method without a case', () => {
  const namespaces = ['education', 'mint'] as const;
  const methods = namespaces.flatMap((ns) => Object.keys(client[ns]).map((m) => `${ns}.${m}`));
  const covered = new Set([...cases.map(([name]) => name), 'mint.transfer', 'mint.mintTokens', 'mint.burnTokens']);

  expect(methods.filter((m) => !covered.has(m))).toEqual([]);
});

test('When query values include arrays and undefined, then arrays repeat the key and undefined is left out', async () => {
  const request = await lastRequestOf(() =>
    client.forge.listJobs({ skill: ['sql', 'go'], page: undefined, limit: 5 } as never),
  );

  expect(request.query).toEqual({ skill: ['sql', 'go'], limit: '5' });
});

test('When a path parameter has reserved characters, then it is encoded into one segment', async () => {
  const request = await lastRequestOf(() => client.education.getCourse('a/b c?d'));

  expect(request.path).toBe('/api/education/courses/a%2Fb%20c%3Fd');
});

test('When a transfer is made without a key, then a fresh UUID v4 Idempotency-Key is sent each time', async () => {
  const first = await lastRequestOf(() => client.mint.transfer({ toUserId: id, amount: 3 }));
  const second = await lastRequestOf(() => client.mint.transfer({ toUserId: id, amount: 3 }));

  expect(first.headers['idempotency-key']).toMatch(UUID_V4);
  expect(second.headers['idempotency-key']).toMatch(UUID_V4);
  expect(first.headers['idempotency-key']).not.toBe(second.headers['idempotency-key']);
  expect(first.body).toEqual({ toUserId: id, amount: 3 });
});

test('When a transfer is given a key, then exactly that Idempotency-Key is sent', async () => {
  const request = await lastRequestOf(() =>
    client.mint.transfer({ toUserId: id, amount: 3, memo: 'rent' }, { idempotencyKey: 'order-77' }),
  );

  expect(request.headers['idempotency-key']).toBe('order-77');
});

test.each([
  ['mintTokens', '/api/mint/admin/mint'],
  ['burnTokens', '/api/mint/admin/burn'],
] as const)('When mint.%s is called, then it posts the supply change with an Idempotency-Key', async (method, path) => {
  const given = await lastRequestOf(() =>
    client.mint[method]({ userId: other, amount: 10, memo: 'grant' }, { idempotencyKey: `admin-${method}` }),
  );
  const generated = await lastRequestOf(() => client.mint[method]({ userId: other, amount: 10 }));

  expect(given).toMatchObject({ method: 'POST', path, body: { userId: other, amount: 10, memo: 'grant' } });
  expect(given.headers['idempotency-key']).toBe(`admin-${method}`);
  expect(generated.headers['idempotency-key']).toMatch(UUID_V4);
});

test('When a route answers 204, then the method resolves to undefined', async () => {
  const fresh = createAzoraClient({ baseUrl: gateway.url });
  await fresh.auth.register(newUser());

  await expect(fresh.auth.logout()).resolves.toBeUndefined();
});
