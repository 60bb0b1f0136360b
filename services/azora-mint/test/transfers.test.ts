import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TransferResult, Wallet, WalletTransactionsPage } from '@azora/contracts';
import { startMint, transfer, type Mint } from './support/harness';

describe('transfers between users', () => {
  let mint: Mint;

  beforeAll(async () => {
    mint = await startMint();
  });
  afterAll(async () => {
    await mint.close();
  });

  it('When a user sends AZR, then both wallets move by the amount and the sender sees the result', async () => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user();

    const res = await transfer(mint, alice, { toUserId: bob.id, amount: 30, memo: 'lunch' });

    expect(res.status).toBe(201);
    expect(TransferResult.parse(res.body)).toMatchObject({
      fromUserId: alice.id,
      toUserId: bob.id,
      amount: 30,
      memo: 'lunch',
      balance: 70,
      kind: 'transfer',
    });
    expect(await mint.balance(alice.id)).toBe(70);
    expect(await mint.balance(bob.id)).toBe(30);
  });

  it('When a user reads GET /wallet, then it answers their balance in AZR', async () => {
    const alice = await mint.user({ balance: 42 });

    const res = await request(mint.url).get('/wallet').set(alice.auth);

    expect(res.status).toBe(200);
    expect(Wallet.parse(res.body)).toEqual({ userId: alice.id, balance: 42, currency: 'AZR' });
  });

  it('When the wallet lacks the funds, then it is a 409 with a stable code and nothing moves', async () => {
    const alice = await mint.user({ balance: 5 });
    const bob = await mint.user();

    const res = await transfer(mint, alice, { toUserId: bob.id, amount: 6 });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'wallet.insufficient_funds', available: 5, required: 6 });
    expect(await mint.balance(alice.id)).toBe(5);
    expect(await mint.balance(bob.id)).toBe(0);
  });

  it('When a user sends to themselves, then it is refused with 422', async () => {
    const alice = await mint.user({ balance: 10 });

    const res = await transfer(mint, alice, { toUserId: alice.id, amount: 1 });

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('transfer.to_self');
    expect(await mint.balance(alice.id)).toBe(10);
  });

  it('When the recipient or the sender is named in capitals, then it is the same user', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();

    const sent = await transfer(mint, alice, { toUserId: bob.id.toUpperCase(), amount: 4 });
    const toSelf = await transfer(mint, alice, { toUserId: alice.id.toUpperCase(), amount: 1 });
    const byId = await request(mint.url).get(`/wallets/${alice.id.toUpperCase()}`).set(alice.auth);

    expect(sent.status).toBe(201);
    expect(sent.body.toUserId).toBe(bob.id);
    expect(await mint.balance(bob.id)).toBe(4);
    expect(toSelf.status).toBe(422);
    expect(byId.body).toEqual({ userId: alice.id, balance: 6, currency: 'AZR' });
  });

  it('When the recipient has no wallet, then it is a 404 and nothing moves', async () => {
    const alice = await mint.user({ balance: 10 });

    const res = await transfer(mint, alice, { toUserId: randomUUID(), amount: 1 });

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('wallet.recipient_not_found');
    expect(await mint.balance(alice.id)).toBe(10);
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 1.5],
    ['huge', 1e13],
    ['beyond 2^53', 2 ** 60],
    ['a string', '10'],
    ['null', null],
  ])('When the amount is %s, then it is a 400 naming body.amount and nothing moves', async (_name, amount) => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user();

    const res = await transfer(mint, alice, { toUserId: bob.id, amount });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.amount' })]));
    expect(await mint.balance(alice.id)).toBe(100);
  });

  it('When the memo is longer than 280 characters or the recipient is not a uuid, then it is a 400 naming each field', async () => {
    const alice = await mint.user({ balance: 100 });

    const res = await transfer(mint, alice, { toUserId: 'bob', amount: 1, memo: 'x'.repeat(281) });

    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.memo', 'body.toUserId']);
  });

  it('When the body is not JSON, then it is a 400 and nothing moves', async () => {
    const alice = await mint.user({ balance: 100 });

    const res = await request(mint.url)
      .post('/transfers')
      .set(alice.auth)
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send('{"amount":');

    expect(res.status).toBe(400);
    expect(await mint.balance(alice.id)).toBe(100);
  });

  it('When no token is sent, then wallet routes answer 401', async () => {
    const res = await request(mint.url).get('/wallet');
    const sent = await request(mint.url)
      .post('/transfers')
      .set('idempotency-key', 'k')
      .send({ toUserId: randomUUID(), amount: 1 });

    expect(res.status).toBe(401);
    expect(sent.status).toBe(401);
  });

  it('When a memo carries a NUL character, then it is a 400 naming body.memo and no group is written', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();
    const key = randomUUID();
    const groupsWritten = async () =>
      Number(
        /^mint_transfer_group_size_count\{[^}]*\} (\d+)$/m.exec((await request(mint.url).get('/metrics')).text)?.[1],
      );
    const before = await groupsWritten();

    const res = await transfer(mint, alice, { toUserId: bob.id, amount: 1, memo: 'lunch\u0000; DROP' }, key);

    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.memo']);
    expect(await groupsWritten()).toBe(before);
    expect(await mint.balance(alice.id)).toBe(10);
    await transfer(mint, alice, { toUserId: bob.id, amount: 1, memo: 'lunch' }, key).expect(201);
    expect(await groupsWritten()).toBe(before + 1);
  });

  it('When a user lists transactions, then each shows direction, counterparty, memo and running balance, newest first', async () => {
    const alice = await mint.user({ balance: 50 });
    const bob = await mint.user({ balance: 10 });
    await transfer(mint, alice, { toUserId: bob.id, amount: 20, memo: 'rent' }).expect(201);
    await transfer(mint, bob, { toUserId: alice.id, amount: 5 }).expect(201);

    const res = await request(mint.url).get('/wallet/transactions').set(alice.auth);

    expect(res.status).toBe(200);
    const page = WalletTransactionsPage.parse(res.body);
    expect(
      page.items.map(({ kind, direction, amount, counterparty, memo, balance }) => ({
        kind,
        direction,
        amount,
        counterparty,
        memo,
        balance,
      })),
    ).toEqual([
      {
        kind: 'transfer',
        direction: 'in',
        amount: 5,
        counterparty: { type: 'user', userId: bob.id },
        memo: null,
        balance: 35,
      },
      {
        kind: 'transfer',
        direction: 'out',
        amount: 20,
        counterparty: { type: 'user', userId: bob.id },
        memo: 'rent',
        balance: 30,
      },
      {
        kind: 'mint',
        direction: 'in',
        amount: 50,
        counterparty: { type: 'treasury' },
        memo: 'test funds',
        balance: 50,
      },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('When the history is longer than a page, then the cursor walks it without gaps or repeats', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();
    for (let i = 0; i < 5; i++) await transfer(mint, alice, { toUserId: bob.id, amount: 1, memo: `#${i}` }).expect(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(mint.url)
        .get('/wallet/transactions')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(alice.auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((t: { memo: string }) => t.memo));
      cursor = res.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual(['#4', '#3', '#2', '#1', '#0', 'test funds']);
  });

  it('When the cursor is garbage, then it is a 400', async () => {
    const alice = await mint.user();

    const res = await request(mint.url).get('/wallet/transactions').query({ cursor: 'not-a-cursor' }).set(alice.auth);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.invalid_cursor');
  });

  it("When a user asks for another user's wallet or transactions, then they see nothing of it", async () => {
    const alice = await mint.user({ balance: 77 });
    const mallory = await mint.user({ balance: 1 });

    const wallet = await request(mint.url).get(`/wallets/${alice.id}`).set(mallory.auth);
    const history = await request(mint.url).get(`/wallets/${alice.id}/transactions`).set(mallory.auth);
    const own = await request(mint.url).get('/wallet/transactions').set(mallory.auth);

    expect(wallet.status).toBe(404);
    expect(wallet.body.code).toBe('wallet.not_found');
    expect(wallet.body).not.toHaveProperty('balance');
    expect(history.status).toBe(404);
    expect(history.body).not.toHaveProperty('items');
    expect(own.body.items.map((t: { amount: number; counterparty: unknown }) => [t.amount, t.counterparty])).toEqual([
      [1, { type: 'treasury' }],
    ]);
  });

  it('When the owner or an admin asks for a wallet by user id, then it is shown', async () => {
    const alice = await mint.user({ balance: 12 });
    const admin = await mint.admin();

    const mine = await request(mint.url).get(`/wallets/${alice.id}`).set(alice.auth);
    const audited = await request(mint.url).get(`/wallets/${alice.id}/transactions`).set(admin.auth);

    expect(mine.body).toEqual({ userId: alice.id, balance: 12, currency: 'AZR' });
    expect(audited.status).toBe(200);
    expect(audited.body.items).toHaveLength(1);
  });

  it('When a transfer completes, then mint.transfer.completed is in the outbox with the same transaction', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();

    const res = await transfer(mint, alice, { toUserId: bob.id, amount: 3 });

    const { rows } = await mint.pool.query(`SELECT type, subject, data FROM outbox WHERE data->>'transferId' = $1`, [
      res.body.id,
    ]);
    expect(rows).toEqual([
      {
        type: 'mint.transfer.completed',
        subject: bob.id,
        data: { transferId: res.body.id, from: alice.id, to: bob.id, amount: 3, kind: 'transfer' },
      },
    ]);
  });

  it('When a transfer is refused, then no event is written', async () => {
    const alice = await mint.user({ balance: 1 });
    const bob = await mint.user();
    const before = await mint.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE data->>'from' = $1`,
      [alice.id],
    );

    await transfer(mint, alice, { toUserId: bob.id, amount: 2 }).expect(409);

    const after = await mint.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE data->>'from' = $1`,
      [alice.id],
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('When transfers happen, then the metrics count them by kind and refusals by code', async () => {
    const alice = await mint.user({ balance: 1 });
    const bob = await mint.user();
    await transfer(mint, alice, { toUserId: bob.id, amount: 1 }).expect(201);
    await transfer(mint, alice, { toUserId: bob.id, amount: 1 }).expect(409);

    const res = await request(mint.url).get('/metrics');

    expect(res.text).toMatch(/mint_transfers_total\{[^}]*kind="transfer"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/mint_transfer_failures_total\{[^}]*code="wallet.insufficient_funds"[^}]*\} [1-9]/);
  });
});
