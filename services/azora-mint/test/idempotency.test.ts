import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startMint, transfer, type Mint } from './support/harness';

describe('Idempotency-Key on POST /transfers', () => {
  let mint: Mint;

  beforeAll(async () => {
    mint = await startMint({ poolSize: 12 });
  });
  afterAll(async () => {
    await mint.close();
  });

  const transfersFrom = async (userId: string) =>
    (
      await mint.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM transfers WHERE debit_account = $1 AND kind = 'transfer'`,
        [`user:${userId}`],
      )
    ).rows[0]?.n;

  it('When the same key and body are sent again, then the first result comes back and nothing moves again', async () => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user();
    const key = randomUUID();

    const first = await transfer(mint, alice, { toUserId: bob.id, amount: 10, memo: 'once' }, key);
    const again = await transfer(mint, alice, { memo: 'once', amount: 10, toUserId: bob.id }, key);

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await mint.balance(alice.id)).toBe(90);
    expect(await transfersFrom(alice.id)).toBe(1);
  });

  it('When the same key comes with a different body, then it is a 409 and nothing moves', async () => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user();
    const key = randomUUID();
    await transfer(mint, alice, { toUserId: bob.id, amount: 10 }, key).expect(201);

    const changed = await transfer(mint, alice, { toUserId: bob.id, amount: 11 }, key);

    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency.key_reused');
    expect(await mint.balance(alice.id)).toBe(90);
  });

  it('When 16 requests with the same key arrive at once, then exactly one transfer happens and all answer alike', async () => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user();
    const key = randomUUID();

    const results = await Promise.all(
      Array.from({ length: 16 }, () => transfer(mint, alice, { toUserId: bob.id, amount: 7 }, key)),
    );

    expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await mint.balance(alice.id)).toBe(93);
    expect(await mint.balance(bob.id)).toBe(7);
    expect(await transfersFrom(alice.id)).toBe(1);
  });

  it('When a refused transfer is retried with its key, then the same refusal comes back even after a top-up', async () => {
    const alice = await mint.user({ balance: 3 });
    const bob = await mint.user();
    const key = randomUUID();
    const first = await transfer(mint, alice, { toUserId: bob.id, amount: 5 }, key);
    const admin = await mint.admin();
    await request(mint.url).post('/admin/mint').set(admin.auth).send({ userId: alice.id, amount: 10 }).expect(201);

    const again = await transfer(mint, alice, { toUserId: bob.id, amount: 5 }, key);

    expect(first.status).toBe(409);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('wallet.insufficient_funds');
    expect(again.body.detail).toBe(first.body.detail);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await mint.balance(alice.id)).toBe(13);
  });

  it('When two users use the same key, then each gets their own transfer', async () => {
    const alice = await mint.user({ balance: 10 });
    const carol = await mint.user({ balance: 10 });
    const bob = await mint.user();
    const key = 'shared-key-1';

    const a = await transfer(mint, alice, { toUserId: bob.id, amount: 1 }, key);
    const c = await transfer(mint, carol, { toUserId: bob.id, amount: 1 }, key);

    expect(a.status).toBe(201);
    expect(c.status).toBe(201);
    expect(a.body.id).not.toBe(c.body.id);
    expect(await mint.balance(bob.id)).toBe(2);
  });

  it('When the key is missing or malformed, then it is a 400 and nothing moves', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();

    const missing = await request(mint.url).post('/transfers').set(alice.auth).send({ toUserId: bob.id, amount: 1 });
    const malformed = await transfer(mint, alice, { toUserId: bob.id, amount: 1 }, 'has spaces in it');

    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency.key_required');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('idempotency.key_invalid');
    expect(await mint.balance(alice.id)).toBe(10);
  });

  it('When an invalid body is retried with a key, then the key stays free for a valid request', async () => {
    const alice = await mint.user({ balance: 10 });
    const bob = await mint.user();
    const key = randomUUID();
    await transfer(mint, alice, { toUserId: bob.id, amount: 'ten' }, key).expect(400);

    const valid = await transfer(mint, alice, { toUserId: bob.id, amount: 10 }, key);

    expect(valid.status).toBe(201);
  });
});
