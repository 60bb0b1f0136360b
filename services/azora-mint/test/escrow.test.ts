import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EscrowHold } from '@azora/contracts';
import { startMint, type Mint } from './support/harness';

describe('escrow for Forge', () => {
  let mint: Mint;
  let forge: { authorization: string };

  beforeAll(async () => {
    mint = await startMint({ poolSize: 10 });
    forge = await mint.serviceAuth('azora-forge');
  });
  afterAll(async () => {
    await mint.close();
  });

  const hold = (body: Record<string, unknown>, auth = forge) =>
    request(mint.url).post('/escrow/holds').set(auth).send(body);
  const release = (reference: string, toUserId: string, auth = forge) =>
    request(mint.url).post(`/escrow/holds/${reference}/release`).set(auth).send({ toUserId });
  const refund = (reference: string, auth = forge) =>
    request(mint.url).post(`/escrow/holds/${reference}/refund`).set(auth).send();
  const escrowBalance = async (reference: string) =>
    (await mint.pool.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [`escrow:${reference}`]))
      .rows[0]?.balance;

  it('When Forge holds a job reward, then it leaves the owner wallet for the escrow account', async () => {
    const employer = await mint.user({ role: 'employer', balance: 300 });
    const reference = `job:${randomUUID()}`;

    const res = await hold({ reference, userId: employer.id, amount: 120, memo: 'Job reward' });

    expect(res.status).toBe(201);
    expect(EscrowHold.parse(res.body)).toMatchObject({
      reference,
      ownerId: employer.id,
      amount: 120,
      status: 'held',
      releasedTo: null,
      settledAt: null,
    });
    expect(await mint.balance(employer.id)).toBe(180);
    expect(await escrowBalance(reference)).toBe(120);
    const history = await request(mint.url).get('/wallet/transactions').set(employer.auth);
    expect(history.body.items[0]).toMatchObject({
      kind: 'escrow_hold',
      direction: 'out',
      counterparty: { type: 'escrow', reference },
      memo: 'Job reward',
    });
  });

  it('When the same hold is requested again, then the same hold comes back and nothing moves again', async () => {
    const employer = await mint.user({ role: 'employer', balance: 300 });
    const reference = `job:${randomUUID()}`;
    const first = await hold({ reference, userId: employer.id, amount: 100 });

    const again = await hold({ reference, userId: employer.id, amount: 100 });

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await mint.balance(employer.id)).toBe(200);
  });

  it('When the same hold is requested 8 times at once, then it is made once', async () => {
    const employer = await mint.user({ role: 'employer', balance: 300 });
    const reference = `job:${randomUUID()}`;

    const results = await Promise.all(
      Array.from({ length: 8 }, () => hold({ reference, userId: employer.id, amount: 50 })),
    );

    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await mint.balance(employer.id)).toBe(250);
    expect(await escrowBalance(reference)).toBe(50);
  });

  it('When a reference is reused with another amount, then it is a 409 and nothing moves', async () => {
    const employer = await mint.user({ role: 'employer', balance: 300 });
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 100 }).expect(201);

    const conflict = await hold({ reference, userId: employer.id, amount: 99 });

    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('escrow.reference_conflict');
    expect(await mint.balance(employer.id)).toBe(200);
  });

  it('When the owner cannot cover the hold, then it is a 409 insufficient funds and no escrow exists', async () => {
    const employer = await mint.user({ role: 'employer', balance: 10 });
    const reference = `job:${randomUUID()}`;

    const res = await hold({ reference, userId: employer.id, amount: 11 });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('wallet.insufficient_funds');
    expect(await escrowBalance(reference)).toBeUndefined();
    await request(mint.url).get(`/escrow/holds/${reference}`).set(forge).expect(404);
  });

  it('When the hold is released, then the worker is paid once, and a repeat answers the same', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const worker = await mint.user();
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 100 }).expect(201);

    const released = await release(reference, worker.id);
    const again = await release(reference, worker.id);

    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releasedTo: worker.id });
    expect(released.body.settledAt).not.toBeNull();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(released.body);
    expect(await mint.balance(worker.id)).toBe(100);
    expect(await escrowBalance(reference)).toBe(0);
  });

  it('When a released hold is refunded or released to someone else, then it is a 409 and nothing moves', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const worker = await mint.user();
    const other = await mint.user();
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 100 }).expect(201);
    await release(reference, worker.id).expect(200);

    const refunded = await refund(reference);
    const elsewhere = await release(reference, other.id);

    expect(refunded.status).toBe(409);
    expect(refunded.body.code).toBe('escrow.already_settled');
    expect(elsewhere.status).toBe(409);
    expect(await mint.balance(employer.id)).toBe(0);
    expect(await mint.balance(other.id)).toBe(0);
  });

  it('When the hold is refunded, then the owner gets it back once, and it cannot be released after', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const worker = await mint.user();
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 60 }).expect(201);

    const refunded = await refund(reference);
    const again = await refund(reference);
    const late = await release(reference, worker.id);

    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', releasedTo: null });
    expect(again.body).toEqual(refunded.body);
    expect(late.status).toBe(409);
    expect(await mint.balance(employer.id)).toBe(100);
    expect(await mint.balance(worker.id)).toBe(0);
  });

  it('When release and refund race, then exactly one of them happens', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const worker = await mint.user();
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 100 }).expect(201);

    const results = await Promise.all([
      release(reference, worker.id),
      refund(reference),
      release(reference, worker.id),
      refund(reference),
    ]);

    const statuses = new Set(results.filter((r) => r.status === 200).map((r) => r.body.status));
    expect(statuses.size).toBe(1);
    expect((await mint.balance(employer.id)) + (await mint.balance(worker.id))).toBe(100);
    expect(await escrowBalance(reference)).toBe(0);
  });

  it('When the worker has no wallet, then release is a 404 and the hold stays', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 100 }).expect(201);

    const res = await release(reference, randomUUID());

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('wallet.recipient_not_found');
    const held = await request(mint.url).get(`/escrow/holds/${reference}`).set(forge);
    expect(held.body.status).toBe('held');
  });

  it('When a user token or no credential calls escrow, then it is a 401', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });

    const withUser = await hold({ reference: 'job:x', userId: employer.id, amount: 1 }, employer.auth);
    const without = await request(mint.url)
      .post('/escrow/holds')
      .send({ reference: 'job:x', userId: employer.id, amount: 1 });

    expect(withUser.status).toBe(401);
    expect(without.status).toBe(401);
    expect(await mint.balance(employer.id)).toBe(100);
  });

  it('When a service other than Forge calls escrow, then it is a 403 and no wallet changes', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 40 }).expect(201);
    const analytics = await mint.serviceAuth('analytics-service');

    const answers = [
      await hold({ reference: `job:${randomUUID()}`, userId: employer.id, amount: 10 }, analytics),
      await request(mint.url).get(`/escrow/holds/${reference}`).set(analytics),
      await release(reference, employer.id, analytics),
      await refund(reference, analytics),
    ];

    expect(answers.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([403, 'auth.service_not_allowed']));
    expect(await mint.balance(employer.id)).toBe(60);
    expect(await escrowBalance(reference)).toBe(40);
  });

  it('When a hold was made by another service, then Forge is told it does not exist, and cannot settle it', async () => {
    const employer = await mint.user({ role: 'employer', balance: 100 });
    const reference = `job:${randomUUID()}`;
    await hold({ reference, userId: employer.id, amount: 40 }).expect(201);
    await mint.pool.query(`UPDATE escrow_holds SET created_by = 'azora-pay' WHERE reference = $1`, [reference]);

    const read = await request(mint.url).get(`/escrow/holds/${reference}`).set(forge);
    const refunded = await refund(reference);
    const released = await release(reference, employer.id);

    expect([read, refunded, released].map((r) => [r.status, r.body.code])).toEqual(
      Array(3).fill([404, 'escrow.not_found']),
    );
    expect(await escrowBalance(reference)).toBe(40);
  });

  it('When a reference is malformed or unknown, then it is a 400 or a 404', async () => {
    const bad = await request(mint.url).post('/escrow/holds/has%20space/refund').set(forge).send();
    const unknown = await refund(`job:${randomUUID()}`);

    expect(bad.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('escrow.not_found');
  });

  it('When escrow has moved money, then the ledger still checks clean', async () => {
    expect(await mint.check()).toMatchObject({ ok: true, sumOfBalances: 0 });
  });
});
