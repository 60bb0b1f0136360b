import request from 'supertest';
import { RewardDecisionsPage } from '@azora/contracts';
import { fixedClock } from '@azora/service-kit';
import { completions } from './support/completions';
import { startMint, type Mint, type TestUser } from './support/harness';

// Each user's reward AZR per UTC day is capped; a reward that would pass the cap is paid up to
// it and the rest held back. Here: courses pay 10, jobs 70, and the cap is 25 a day.
describe('the daily reward cap', () => {
  const clock = fixedClock('2026-11-30T10:00:00.000Z');
  let mint: Mint;
  let done: ReturnType<typeof completions>;

  beforeAll(async () => {
    mint = await startMint({
      clock,
      poolSize: 16,
      settings: { rewards: { lesson: 1, course: 10, job: 70 }, rewardDailyCap: 25 },
    });
    done = completions(mint);
  });
  afterAll(async () => {
    await mint.close();
  });

  const decisionsOf = async (user: TestUser) =>
    RewardDecisionsPage.parse(
      (await request(mint.url).get('/wallet/rewards').query({ limit: 100 }).set(user.auth)).body,
    ).items;
  const paidOn = async (userId: string, day: string) =>
    (
      await mint.pool.query<{ paid: number }>(
        `SELECT coalesce(sum(paid), 0)::int AS paid FROM reward_decisions WHERE user_id = $1 AND day = $2`,
        [userId, day],
      )
    ).rows[0]?.paid;

  it('When rewards pass the cap, then the one crossing it is paid up to the cap and the rest is held back', async () => {
    const student = await mint.user();

    for (let i = 0; i < 4; i += 1) await mint.deliver([done.course(student.id)]).expect(200);

    expect(await mint.balance(student.id)).toBe(25);
    expect((await decisionsOf(student)).reverse().map((d) => [d.paid, d.heldBack, d.reason])).toEqual([
      [10, 0, null],
      [10, 0, null],
      [5, 5, 'daily_cap'],
      [0, 10, 'daily_cap'],
    ]);
  });

  it('When many rewards for one user are delivered at once, then together they pay exactly the cap', async () => {
    const student = await mint.user();

    const answers = await Promise.all(Array.from({ length: 12 }, () => mint.deliver([done.course(student.id)])));

    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(await mint.balance(student.id)).toBe(25);
    const decisions = await decisionsOf(student);
    expect(decisions).toHaveLength(12);
    expect(decisions.reduce((sum, d) => sum + d.paid, 0)).toBe(25);
    expect(decisions.reduce((sum, d) => sum + d.heldBack, 0)).toBe(120 - 25);
  });

  it('When one delivery carries rewards past the cap, then the cap holds within it too', async () => {
    const student = await mint.user();

    await mint
      .deliver([done.lesson(student.id), done.course(student.id), done.course(student.id), done.course(student.id)])
      .expect(200);

    expect(await mint.balance(student.id)).toBe(25);
  });

  it('When the job bonus comes on a day with rewards already paid, then it counts toward the same cap', async () => {
    const worker = await mint.user();
    await mint.deliver([done.course(worker.id)]).expect(200);

    await mint.deliver([done.job(worker.id)]).expect(200);

    expect(await mint.balance(worker.id)).toBe(25);
    expect((await decisionsOf(worker))[0]).toMatchObject({
      trigger: 'job',
      amount: 70,
      paid: 15,
      heldBack: 55,
      reason: 'daily_cap',
    });
  });

  it('When the UTC day turns, then the cap starts again', async () => {
    const student = await mint.user();
    clock.set('2026-12-01T23:59:00.000Z');
    for (let i = 0; i < 3; i += 1) await mint.deliver([done.course(student.id)]).expect(200);

    clock.set('2026-12-02T00:00:30.000Z');
    await mint.deliver([done.course(student.id)]).expect(200);

    expect(await mint.balance(student.id)).toBe(35);
    expect([await paidOn(student.id, '2026-12-01'), await paidOn(student.id, '2026-12-02')]).toEqual([25, 10]);
  });

  it('When the cap has been reached, then the ledger still balances and the held-back AZR are counted', async () => {
    const student = await mint.user();
    await mint.deliver([done.course(student.id), done.course(student.id), done.course(student.id)]).expect(200);

    const metrics = (await request(mint.url).get('/metrics')).text;

    expect(metrics).toMatch(/^mint_reward_held_back_azr_total\{trigger="course",reason="daily_cap"[^}]*\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^mint_reward_decisions_total\{trigger="course",outcome="partly_paid",reason="daily_cap"/m);
    expect((await mint.check()).ok).toBe(true);
  });
});
