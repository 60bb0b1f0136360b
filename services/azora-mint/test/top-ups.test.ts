import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EventData } from '@azora/contracts';
import { startMint, transfer, type Mint } from './support/harness';

describe('token top-ups and refunds', () => {
  let mint: Mint;

  beforeAll(async () => {
    // 5 cents per AZR.
    mint = await startMint({ settings: { topUpMinorUnitsPerAzr: 5 } });
  });
  afterAll(async () => {
    await mint.close();
  });

  const payment = (
    userId: string,
    amount: number,
    purpose: 'tokens' | 'course' = 'tokens',
  ): EventData<'pay.payment.succeeded'> => ({
    paymentId: randomUUID(),
    userId,
    purpose,
    amount,
    currency: 'USD',
  });
  const succeeded = (p: EventData<'pay.payment.succeeded'>) => mint.event('pay.payment.succeeded', p);
  const refunded = (p: EventData<'pay.payment.refunded'>) => mint.event('pay.payment.refunded', p);

  it('When a token payment succeeds, then the wallet is credited once at the configured price', async () => {
    const user = await mint.user();
    const paid = payment(user.id, 1000);

    await mint.deliver([succeeded(paid)]).expect(200);
    await mint.deliver([succeeded(paid)]).expect(200);

    expect(await mint.balance(user.id)).toBe(200);
  });

  it('When a course payment succeeds, then no tokens are credited', async () => {
    const user = await mint.user();

    await mint.deliver([succeeded(payment(user.id, 1000, 'course'))]).expect(200);

    expect(await mint.balance(user.id)).toBe(0);
  });

  it('When a top-up is refunded and the wallet still holds it, then it is taken back in full', async () => {
    const user = await mint.user();
    const paid = payment(user.id, 500);
    await mint.deliver([succeeded(paid)]).expect(200);

    await mint.deliver([refunded(paid)]).expect(200);
    await mint.deliver([refunded(paid)]).expect(200);

    expect(await mint.balance(user.id)).toBe(0);
    const history = await request(mint.url).get('/wallet/transactions').set(user.auth);
    expect(history.body.items[0]).toMatchObject({ kind: 'topup_reversal', direction: 'out', amount: 100, balance: 0 });
  });

  it('When a refunded top-up was partly spent, then what is there is taken, the rest is owed, and the wallet never goes negative', async () => {
    const user = await mint.user();
    const friend = await mint.user();
    const paid = payment(user.id, 500);
    await mint.deliver([succeeded(paid)]).expect(200);
    await transfer(mint, user, { toUserId: friend.id, amount: 70 }).expect(201);

    await mint.deliver([refunded(paid)]).expect(200);

    expect(await mint.balance(user.id)).toBe(0);
    const { rows } = await mint.pool.query(`SELECT original, owed FROM token_debts WHERE payment_id = $1`, [
      paid.paymentId,
    ]);
    expect(rows).toEqual([{ original: 70, owed: 70 }]);
    const report = await mint.check();
    expect(report.ok).toBe(true);
    expect(report.openDebts.amount).toBeGreaterThanOrEqual(70);
  });

  it('When a user with a debt earns or buys tokens, then the debt is collected from them first, oldest first', async () => {
    const user = await mint.user();
    const friend = await mint.user();
    const paid = payment(user.id, 100);
    await mint.deliver([succeeded(paid)]).expect(200);
    await transfer(mint, user, { toUserId: friend.id, amount: 20 }).expect(201);
    await mint.deliver([refunded(paid)]).expect(200);

    await mint
      .deliver([
        mint.event('education.course.completed', {
          courseId: randomUUID(),
          userId: user.id,
          skills: [],
          authorIds: [randomUUID()],
          rewardEligible: true,
        }),
      ])
      .expect(200);
    expect(await mint.balance(user.id)).toBe(0);
    await mint.deliver([succeeded(payment(user.id, 100))]).expect(200);

    expect(await mint.balance(user.id)).toBe(10);
    const { rows } = await mint.pool.query(
      `SELECT owed, settled_at IS NOT NULL AS settled FROM token_debts WHERE payment_id = $1`,
      [paid.paymentId],
    );
    expect(rows).toEqual([{ owed: 0, settled: true }]);
    expect((await mint.check()).ok).toBe(true);
  });

  it('When two refunds of one payment arrive at once, then it is reversed once', async () => {
    const user = await mint.user();
    const paid = payment(user.id, 250);
    await mint.deliver([succeeded(paid)]).expect(200);
    const admin = await mint.admin();
    await request(mint.url).post('/admin/mint').set(admin.auth).send({ userId: user.id, amount: 100 }).expect(201);

    await Promise.all([mint.deliver([refunded(paid)]), mint.deliver([refunded(paid)])]);

    expect(await mint.balance(user.id)).toBe(100);
  });

  it('When a refund arrives for a top-up that was never credited, then nothing moves', async () => {
    const user = await mint.user({ balance: 10 });

    await mint.deliver([refunded(payment(user.id, 500))]).expect(200);

    expect(await mint.balance(user.id)).toBe(10);
  });
});
