import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AdminActionsPage, AdminSupplyResult, LedgerCheckReport } from '@azora/contracts';
import { startMint, type Mint } from './support/harness';

describe('admin: supply, audit and the ledger check', () => {
  let mint: Mint;

  beforeAll(async () => {
    mint = await startMint();
  });
  afterAll(async () => {
    await mint.close();
  });

  it('When an admin mints, then the wallet is credited from the treasury and the action is audited', async () => {
    const admin = await mint.admin();
    const user = await mint.user();

    const res = await request(mint.url)
      .post('/admin/mint')
      .set(admin.auth)
      .send({ userId: user.id, amount: 500, memo: 'grant' });

    expect(res.status).toBe(201);
    const result = AdminSupplyResult.parse(res.body);
    expect(result).toMatchObject({ kind: 'mint', userId: user.id, amount: 500, balance: 500, memo: 'grant' });
    const audit = AdminActionsPage.parse((await request(mint.url).get('/admin/audit').set(admin.auth)).body);
    expect(audit.items[0]).toMatchObject({
      id: result.auditId,
      adminId: admin.id,
      action: 'mint',
      userId: user.id,
      amount: 500,
      memo: 'grant',
      transferId: result.id,
    });
  });

  it('When an admin burns, then the tokens go back to the treasury; burning more than the wallet holds is a 409', async () => {
    const admin = await mint.admin();
    const user = await mint.user({ balance: 50 });

    const burned = await request(mint.url)
      .post('/admin/burn')
      .set(admin.auth)
      .send({ userId: user.id, amount: 20, memo: 'fraud' });
    const tooMuch = await request(mint.url).post('/admin/burn').set(admin.auth).send({ userId: user.id, amount: 31 });

    expect(burned.status).toBe(201);
    expect(burned.body).toMatchObject({ kind: 'burn', balance: 30 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('wallet.insufficient_funds');
    expect(await mint.balance(user.id)).toBe(30);
  });

  it('When an admin mints twice with one Idempotency-Key, then the supply changes once and one audit entry exists', async () => {
    const admin = await mint.admin();
    const user = await mint.user();
    const key = randomUUID();

    const first = await request(mint.url)
      .post('/admin/mint')
      .set(admin.auth)
      .set('idempotency-key', key)
      .send({ userId: user.id, amount: 9 });
    const again = await request(mint.url)
      .post('/admin/mint')
      .set(admin.auth)
      .set('idempotency-key', key)
      .send({ userId: user.id, amount: 9 });

    expect(again.body).toEqual(first.body);
    expect(await mint.balance(user.id)).toBe(9);
    const { rows } = await mint.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM admin_actions WHERE user_id = $1',
      [user.id],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('When a user without the admin role calls admin routes, then it is a 403 and nothing moves', async () => {
    const user = await mint.user();

    const minted = await request(mint.url).post('/admin/mint').set(user.auth).send({ userId: user.id, amount: 1000 });
    const checked = await request(mint.url).get('/admin/ledger/check').set(user.auth);

    expect(minted.status).toBe(403);
    expect(checked.status).toBe(403);
    expect(await mint.balance(user.id)).toBe(0);
  });

  it('When minting to a user without a wallet, then it is a 404', async () => {
    const admin = await mint.admin();

    const res = await request(mint.url).post('/admin/mint').set(admin.auth).send({ userId: randomUUID(), amount: 1 });

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('wallet.recipient_not_found');
  });

  it('When the ledger is consistent, then the check reports ok with a zero sum', async () => {
    await mint.user({ balance: 25 });

    const report = LedgerCheckReport.parse(await mint.check());

    expect(report).toMatchObject({
      ok: true,
      sumOfBalances: 0,
      orphanedPostings: 0,
      negativeBalances: [],
      mismatchedBalances: [],
      runningBalanceMismatches: [],
    });
    expect(report.transfers).toBeGreaterThan(0);
    expect(report.treasuryBalance).toBeLessThan(0);
  });

  it('When a balance is tampered with outside the ledger, then the check names the account', async () => {
    const tampered = await startMint();
    try {
      const user = await tampered.user({ balance: 10 });
      await tampered.pool.query(`UPDATE accounts SET balance = balance + 5 WHERE id = $1`, [`user:${user.id}`]);

      const report = await tampered.check();

      expect(report.ok).toBe(false);
      expect(report.sumOfBalances).toBe(5);
      expect(report.mismatchedBalances).toEqual([{ accountId: `user:${user.id}`, balance: 15, fromPostings: 10 }]);
      expect(report.runningBalanceMismatches).toEqual([
        { accountId: `user:${user.id}`, balance: 15, lastRunningBalance: 10 },
      ]);
    } finally {
      await tampered.close();
    }
  });
});
