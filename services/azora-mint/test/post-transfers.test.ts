import { randomUUID } from 'node:crypto';
import { createPool, createLogger, fixedClock, type Pool } from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { walletAccount, TREASURY } from '../src/domain/accounts';
import { preparePosting, type PostingIntent } from '../src/domain/posting';
import { createLedger, postTransfers } from '../src/db/ledger';
import { createPostingBatcher } from '../src/db/posting-batcher';

describe('post_transfers: a group of postings in one call', () => {
  let db: TestDatabase;
  let pool: Pool;
  const clock = fixedClock('2026-11-25T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor('mint'), schema: 'mint', max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  async function wallet(balance: number): Promise<string> {
    const userId = randomUUID();
    await createLedger(pool).openWallet(userId, clock.now());
    if (balance > 0)
      await postTransfers(pool, [
        preparePosting({ kind: 'mint', debit: TREASURY, credit: walletAccount(userId), amount: balance }, clock),
      ]);
    return userId;
  }

  const keyed = (from: string, to: string, amount: number, key = randomUUID()): PostingIntent => ({
    kind: 'transfer',
    debit: walletAccount(from),
    credit: walletAccount(to),
    amount,
    idempotency: { userId: from, key, requestHash: `${to}:${amount}` },
  });
  const balance = async (userId: string) => (await createLedger(pool).wallet(userId))?.balance;

  it('When a posting spends what an earlier one in the group brought, then both succeed in order', async () => {
    const [a, b, c] = [await wallet(10), await wallet(0), await wallet(0)];

    const results = await postTransfers(pool, [
      preparePosting(keyed(a, b, 10), clock),
      preparePosting(keyed(b, c, 10), clock),
    ]);

    expect(results.map((r) => r.outcome)).toEqual(['posted', 'posted']);
    expect(results.map((r) => [r.transfer?.debitBalance, r.transfer?.creditBalance])).toEqual([
      [0, 10],
      [0, 10],
    ]);
    expect([await balance(a), await balance(b), await balance(c)]).toEqual([0, 0, 10]);
  });

  it('When the same postings come in the other order, then the first is refused and the second still posts', async () => {
    const [a, b, c] = [await wallet(10), await wallet(0), await wallet(0)];

    const results = await postTransfers(pool, [
      preparePosting(keyed(b, c, 10), clock),
      preparePosting(keyed(a, b, 10), clock),
    ]);

    expect(results.map((r) => [r.outcome, r.available])).toEqual([
      ['insufficient_funds', 0],
      ['posted', null],
    ]);
    expect([await balance(a), await balance(b), await balance(c)]).toEqual([0, 10, 0]);
  });

  it('When a group mixes postings, refusals and a replay, then each gets its own outcome and only the posted ones are written', async () => {
    const [a, b] = [await wallet(5), await wallet(0)];
    const key = randomUUID();
    await postTransfers(pool, [preparePosting(keyed(a, b, 1, key), clock)]);

    const results = await postTransfers(pool, [
      preparePosting(keyed(a, b, 1, key), clock),
      preparePosting(keyed(a, b, 100), clock),
      preparePosting(keyed(a, randomUUID(), 1), clock),
      preparePosting(keyed(a, b, 2), clock),
    ]);

    expect(results.map((r) => [r.outcome, r.replayed])).toEqual([
      ['posted', true],
      ['insufficient_funds', false],
      ['credit_missing', false],
      ['posted', false],
    ]);
    expect(await balance(a)).toBe(2);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE data->>'from' = $1`, [
      a,
    ]);
    expect(rows[0]?.n).toBe(2);
  });

  it('When a group is answered, then every transfer in the answer is exactly the row stored, seq included', async () => {
    // Arrange: a replay, a duplicate reference and new postings in one group.
    const [a, b, c] = [await wallet(50), await wallet(0), await wallet(0)];
    const replayedKey = randomUUID();
    await postTransfers(pool, [preparePosting(keyed(a, b, 3, replayedKey), clock)]);
    const reference = `test:${randomUUID()}`;
    await postTransfers(pool, [
      preparePosting({ kind: 'reward', debit: TREASURY, credit: walletAccount(c), amount: 1, reference }, clock),
    ]);

    // Act
    const results = await postTransfers(pool, [
      preparePosting({ ...keyed(a, b, 5), memo: 'first' }, clock),
      preparePosting(keyed(a, b, 3, replayedKey), clock),
      preparePosting({ ...keyed(b, c, 4), memo: 'second' }, clock),
      preparePosting({ kind: 'reward', debit: TREASURY, credit: walletAccount(c), amount: 1, reference }, clock),
      preparePosting(keyed(c, a, 2), clock),
    ]);

    // Assert
    expect(results.map((r) => [r.outcome, r.replayed])).toEqual([
      ['posted', false],
      ['posted', true],
      ['posted', false],
      ['duplicate_reference', false],
      ['posted', false],
    ]);
    const ids = results.map((r) => r.transfer?.id);
    const { rows } = await pool.query<{
      id: string;
      seq: string | number;
      debit_balance: number;
      credit_balance: number;
      memo: string | null;
      created_at: Date;
    }>(`SELECT id, seq, debit_balance, credit_balance, memo, created_at FROM transfers WHERE id = ANY($1)`, [ids]);
    const stored = new Map(rows.map((r) => [r.id, r]));
    for (const result of results) {
      const row = stored.get(result.transfer?.id as string);
      expect(result.transfer).toMatchObject({
        seq: Number(row?.seq),
        debitBalance: row?.debit_balance,
        creditBalance: row?.credit_balance,
        memo: row?.memo,
        createdAt: row?.created_at,
      });
    }
    const newSeqs = [results[0], results[2], results[4]].map((r) => Number(r?.transfer?.seq));
    expect(newSeqs).toEqual([...newSeqs].sort((x, y) => x - y));
  });

  it('When one posting of a group is malformed, then the batcher writes the others alone and only that one fails', async () => {
    const [a, b] = [await wallet(10), await wallet(0)];
    const post = createPostingBatcher({ pool, logger: createLogger({ service: 'azora-mint', level: 'silent' }) });
    const bad = { ...preparePosting(keyed(a, b, 1), clock), amount: 0 };

    const results = await Promise.allSettled([
      post(preparePosting(keyed(a, b, 3), clock)),
      post(bad),
      post(preparePosting(keyed(a, b, 4), clock)),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await balance(b)).toBe(7);
  });
});
