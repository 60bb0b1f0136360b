import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Wallet, WalletTransactionsPage } from '@azora/contracts';
import { startMint, transfer, type Mint, type TestUser } from './support/harness';

// A verified access token proves its user exists: the user's own wallet is there from the first
// request, whether or not identity.user.registered has arrived yet.
describe('a new user has a wallet from the first request', () => {
  let mint: Mint;

  beforeAll(async () => {
    mint = await startMint({ poolSize: 12 });
  });
  afterAll(async () => {
    await mint.close();
  });

  const registered = (user: TestUser) =>
    mint.event('identity.user.registered', {
      userId: user.id,
      email: `${user.id}@example.com`,
      name: 'New',
      role: 'student',
    });
  const walletsOf = async (userId: string) =>
    (await mint.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts WHERE owner_id = $1`, [userId]))
      .rows[0]?.n;

  it('When a user asks for their wallet before the registration event, then it is 200 with 0 AZR', async () => {
    const user = await mint.user({ wallet: false });

    const res = await request(mint.url).get('/wallet').set(user.auth);

    expect(res.status).toBe(200);
    expect(Wallet.parse(res.body)).toEqual({ userId: user.id, balance: 0, currency: 'AZR' });
    expect(await walletsOf(user.id)).toBe(1);
  });

  it('When a user asks for their history or their wallet by id before the event, then both answer', async () => {
    const user = await mint.user({ wallet: false });

    const history = await request(mint.url).get('/wallet/transactions').set(user.auth);
    const byId = await request(mint.url).get(`/wallets/${user.id}`).set(user.auth);

    expect(history.status).toBe(200);
    expect(WalletTransactionsPage.parse(history.body)).toEqual({ items: [], nextCursor: null });
    expect(byId.body).toEqual({ userId: user.id, balance: 0, currency: 'AZR' });
  });

  it('When the first request and the registration event race, then there is one wallet and no error', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => mint.user({ wallet: false })));

    const answers = await Promise.all(
      users.map((user) =>
        Promise.all([request(mint.url).get('/wallet').set(user.auth), mint.deliver([registered(user)])]),
      ),
    );

    expect(answers.flat().map((r) => r.status)).toEqual(Array(60).fill(200));
    expect(answers.map(([wallet]) => wallet.body.balance)).toEqual(Array(30).fill(0));
    expect(await Promise.all(users.map((u) => walletsOf(u.id)))).toEqual(Array(30).fill(1));
    expect((await mint.check()).ok).toBe(true);
  });

  it('When the registration event arrives after the first request, then it changes nothing', async () => {
    const user = await mint.user({ wallet: false });
    await request(mint.url).get('/wallet').set(user.auth).expect(200);

    const res = await mint.deliver([registered(user)]);

    expect(res.status).toBe(200);
    expect(await walletsOf(user.id)).toBe(1);
  });

  it('When a user whose event has not arrived sends AZR, then it is a 409 for insufficient funds, not a 404', async () => {
    const sender = await mint.user({ wallet: false });
    const bob = await mint.user();

    const res = await transfer(mint, sender, { toUserId: bob.id, amount: 1 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'wallet.insufficient_funds', available: 0, required: 1 });
    expect(await walletsOf(sender.id)).toBe(1);
  });

  it('When AZR is sent to a user whose event has not arrived, then it is still a 404: the sender proves nothing about them', async () => {
    const alice = await mint.user({ balance: 5 });
    const unseen = await mint.user({ wallet: false });

    const res = await transfer(mint, alice, { toUserId: unseen.id, amount: 1 });

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('wallet.recipient_not_found');
    expect(await walletsOf(unseen.id)).toBe(0);
  });

  it('When an admin asks for the wallet of a user id Mint has never seen, then it is a 404 and none is opened', async () => {
    const admin = await mint.admin();
    const stranger = randomUUID();

    const res = await request(mint.url).get(`/wallets/${stranger}`).set(admin.auth);

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('wallet.not_found');
    expect(await walletsOf(stranger)).toBe(0);
  });
});
