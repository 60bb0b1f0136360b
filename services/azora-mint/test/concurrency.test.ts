import { randomUUID } from 'node:crypto';
import { startMint, transfer, type Mint, type TestUser } from './support/harness';

// Deterministic pseudo-random choices, so a failure can be replayed.
function sequence(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

describe('the ledger under concurrency', () => {
  let mint: Mint;

  beforeAll(async () => {
    mint = await startMint({ poolSize: 16 });
  });
  afterAll(async () => {
    await mint.close();
  });

  it('When 64 transfers run at once among 4 hot wallets, then no AZR is lost or invented, none overdraws, and the ledger checks clean', async () => {
    const wallets: TestUser[] = [];
    for (let i = 0; i < 4; i++) wallets.push(await mint.user({ balance: 40 }));
    const pick = sequence(7);
    const moves = Array.from({ length: 64 }, () => {
      const from = pick(4);
      const to = (from + 1 + pick(3)) % 4;
      return { from: wallets[from] as TestUser, to: wallets[to] as TestUser, amount: 1 + pick(25) };
    });

    const results = await Promise.all(
      moves.map((m) => transfer(mint, m.from, { toUserId: m.to.id, amount: m.amount })),
    );

    expect(
      results.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'wallet.insufficient_funds')),
    ).toBe(true);
    const expected = new Map(wallets.map((w) => [w.id, 40]));
    // Replaying the accepted transfers in their commit order reproduces every final balance.
    const { rows } = await mint.pool.query<{
      debit_account: string;
      credit_account: string;
      amount: number;
      debit_balance: number;
      credit_balance: number;
    }>(
      `SELECT debit_account, credit_account, amount, debit_balance, credit_balance FROM transfers WHERE kind = 'transfer' AND debit_account = ANY($1) ORDER BY seq`,
      [wallets.map((w) => `user:${w.id}`)],
    );
    expect(rows).toHaveLength(results.filter((r) => r.status === 201).length);
    for (const row of rows) {
      const from = row.debit_account.slice(5);
      const to = row.credit_account.slice(5);
      expected.set(from, (expected.get(from) ?? 0) - row.amount);
      expected.set(to, (expected.get(to) ?? 0) + row.amount);
      expect(row.debit_balance).toBe(expected.get(from));
      expect(row.credit_balance).toBe(expected.get(to));
      expect(row.debit_balance).toBeGreaterThanOrEqual(0);
    }
    let total = 0;
    for (const w of wallets) {
      const balance = await mint.balance(w.id);
      expect(balance).toBe(expected.get(w.id));
      total += balance;
    }
    expect(total).toBe(160);
    const report = await mint.check();
    expect(report).toMatchObject({
      ok: true,
      sumOfBalances: 0,
      negativeBalances: [],
      mismatchedBalances: [],
      runningBalanceMismatches: [],
    });
  });

  it('When 30 transfers of 1 race to spend a wallet holding 10, then exactly 10 succeed and the wallet ends at 0', async () => {
    const alice = await mint.user({ balance: 10 });
    const others = [await mint.user(), await mint.user(), await mint.user()];

    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        transfer(mint, alice, { toUserId: (others[i % 3] as TestUser).id, amount: 1 }, randomUUID()),
      ),
    );

    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(20);
    expect(await mint.balance(alice.id)).toBe(0);
    expect((await mint.check()).ok).toBe(true);
  });

  it('When two wallets send to each other at once many times, then nothing deadlocks and the balances add up', async () => {
    const alice = await mint.user({ balance: 100 });
    const bob = await mint.user({ balance: 100 });

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? transfer(mint, alice, { toUserId: bob.id, amount: 3 })
          : transfer(mint, bob, { toUserId: alice.id, amount: 2 }),
      ),
    );

    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await mint.balance(alice.id)).toBe(100 - 20 * 3 + 20 * 2);
    expect(await mint.balance(bob.id)).toBe(100 + 20 * 3 - 20 * 2);
  });

  it('When anything tries to rewrite a posting, delete an account or overdraw a wallet directly, then the database refuses', async () => {
    const alice = await mint.user({ balance: 5 });

    await expect(
      mint.pool.query(`UPDATE transfers SET amount = amount + 1 WHERE credit_account = $1`, [`user:${alice.id}`]),
    ).rejects.toThrow(/append-only/);
    await expect(
      mint.pool.query(`DELETE FROM transfers WHERE credit_account = $1`, [`user:${alice.id}`]),
    ).rejects.toThrow(/append-only/);
    await expect(
      mint.pool.query(`UPDATE accounts SET balance = -1 WHERE id = $1`, [`user:${alice.id}`]),
    ).rejects.toThrow(/only_the_treasury_goes_negative/);
    await expect(mint.pool.query(`DELETE FROM accounts WHERE id = $1`, [`user:${alice.id}`])).rejects.toThrow(
      /append-only/,
    );
  });
});
