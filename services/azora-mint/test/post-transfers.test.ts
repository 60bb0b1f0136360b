import { randomUUID } from 'node:crypto';
import { createPool, createLogger, fixedClock, type Pool, type Tx as PoolClient } from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { walletAccount, TREASURY } from '../src/domain/accounts';
import { preparePosting, type PostingIntent } from '../src/domain/posting';
import { createLedger, postTransfers } from '../src/db/ledger';
import { createPostingBatcher } from '../src/db/posting-batcher';

describe('post_transfers: a group of postings in one call', () => {
  let db: TestDatabase;
  let pool: Pool;
  const clock = fixedClock('2026-11-25T10:00:00.000Z');
  const silent = createLogger({ service: 'azora-mint', level: 'silent' });

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
  /** The pool, noting the size of every post_transfers call made on a connection it lends. */
  const countingCalls = () => {
    const calls: number[] = [];
    const counted = (client: PoolClient) =>
      new Proxy(client, {
        get(target, property) {
          if (property === 'query')
            return (...args: unknown[]) => {
              const values = (args[0] as { values?: unknown[][] }).values;
              if (values) calls.push(values[0]?.length ?? 0);
              return (target.query as (...a: unknown[]) => unknown)(...args);
            };
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const counting = Object.assign(Object.create(pool) as Pool, {
      connect: async () => counted(await pool.connect()),
    });
    return { calls, counting };
  };

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

  it('When one posting of a group is malformed, then only that one fails and the others are written', async () => {
    const [a, b] = [await wallet(10), await wallet(0)];
    const post = createPostingBatcher({ pool, logger: silent });
    const bad = { ...preparePosting(keyed(a, b, 1), clock), amount: 0 };

    const results = await Promise.allSettled([
      post(preparePosting(keyed(a, b, 3), clock)),
      post(bad),
      post(preparePosting(keyed(a, b, 4), clock)),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await balance(b)).toBe(7);
  });

  it('When a posting fails inside a group of 32, then the group is split until it stands alone, not re-posted one by one', async () => {
    // Arrange: a first posting goes alone and holds the lane, so the next 32 queue into one group.
    const [a, b] = [await wallet(100), await wallet(0)];
    const { calls, counting } = countingCalls();
    const post = createPostingBatcher({ pool: counting, logger: silent });
    const poison = { ...preparePosting(keyed(a, b, 1), clock), memo: 'x'.repeat(281) }; // breaks a CHECK

    let connectionsOpened = 0;
    const opened = () => (connectionsOpened += 1);
    pool.on('connect', opened);

    // Act
    const first = post(preparePosting(keyed(a, b, 1), clock));
    const group = Array.from({ length: 32 }, (_, i) =>
      post(i === 21 ? poison : preparePosting({ ...keyed(a, b, 1), memo: `#${i}` }, clock)),
    );
    const results = await Promise.allSettled([first, ...group]);

    // Assert: one failure; 32 of 33 AZR moved, in the order they were sent.
    expect(results.map((r) => r.status).filter((s) => s === 'rejected')).toHaveLength(1);
    expect(results[22]?.status).toBe('rejected');
    expect(await balance(b)).toBe(32);
    expect(calls[0]).toBe(1);
    expect(calls[1]).toBe(32);
    // The group, then halves down to the poison: 2·log2(32) + 1 calls, against 33 when each was re-posted alone.
    expect(calls.length - 1).toBeLessThanOrEqual(11);
    // A refused call hands its connection back: failures do not cost reconnections.
    pool.off('connect', opened);
    expect(connectionsOpened).toBeLessThanOrEqual(1);
    const { rows } = await pool.query<{ memo: string }>(
      `SELECT memo FROM transfers WHERE credit_account = $1 AND memo LIKE '#%' ORDER BY seq`,
      [walletAccount(b)],
    );
    expect(rows.map((r) => r.memo)).toEqual(Array.from({ length: 32 }, (_, i) => `#${i}`).filter((m) => m !== '#21'));
  });

  it('When a posting cannot even be bound as a parameter, then it goes alone and no group fails for it', async () => {
    const [a, b] = [await wallet(100), await wallet(0)];
    const { calls, counting } = countingCalls();
    const post = createPostingBatcher({ pool: counting, logger: silent });
    const unbindable = preparePosting(
      { ...keyed(a, b, 1), idempotency: { userId: 'not-a-uuid', key: randomUUID(), requestHash: 'h' } },
      clock,
    );

    const first = post(preparePosting(keyed(a, b, 1), clock));
    const others = Array.from({ length: 8 }, (_, i) =>
      post(i === 3 ? unbindable : preparePosting(keyed(a, b, 1), clock)),
    );
    const results = await Promise.allSettled([first, ...others]);

    expect(results.map((r) => r.status)).toEqual([
      ...Array(4).fill('fulfilled'),
      'rejected',
      ...Array(4).fill('fulfilled'),
    ]);
    expect(await balance(b)).toBe(8);
    expect([...calls].sort()).toEqual([1, 1, 7]);
  });
});
