import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fixedClock } from '@azora/service-kit';
import { postTransfers } from '../src/db/ledger';
import { TREASURY, walletAccount } from '../src/domain/accounts';
import { preparePosting } from '../src/domain/posting';
import { startMint, type Mint } from './support/harness';

describe('learn-to-earn rewards', () => {
  const clock = fixedClock('2026-11-30T10:00:00.000Z');
  let mint: Mint;

  beforeAll(async () => {
    // Amounts come from configuration: these differ from the defaults on purpose.
    mint = await startMint({ settings: { rewards: { lesson: 2, course: 15, job: 70 } } });
  });
  afterAll(async () => {
    await mint.close();
  });

  const lesson = (userId: string, lessonId = randomUUID()) =>
    mint.event('education.lesson.completed', {
      courseId: randomUUID(),
      lessonId,
      userId,
      authorIds: [randomUUID()],
      rewardEligible: true,
    });
  const rewardsOf = async (userId: string) =>
    (
      await mint.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM transfers WHERE credit_account = $1 AND kind = 'reward'`,
        [`user:${userId}`],
      )
    ).rows[0]?.n;

  it('When identity.user.registered arrives, then the user has an empty wallet', async () => {
    const user = await mint.user({ wallet: false });

    await mint
      .deliver([
        mint.event('identity.user.registered', {
          userId: user.id,
          email: 'a@example.com',
          name: 'Ada',
          role: 'student',
        }),
      ])
      .expect(200);

    const res = await request(mint.url).get('/wallet').set(user.auth);
    expect(res.body).toEqual({ userId: user.id, balance: 0, currency: 'AZR' });
  });

  it('When a lesson is completed, then the configured reward comes from the treasury with an event', async () => {
    const user = await mint.user();

    await mint.deliver([lesson(user.id)]).expect(200);

    expect(await mint.balance(user.id)).toBe(2);
    const history = await request(mint.url).get('/wallet/transactions').set(user.auth);
    expect(history.body.items[0]).toMatchObject({
      kind: 'reward',
      direction: 'in',
      amount: 2,
      counterparty: { type: 'treasury' },
      memo: 'Lesson completed',
      balance: 2,
    });
    const { rows } = await mint.pool.query(`SELECT data FROM outbox WHERE data->>'transferId' = $1`, [
      history.body.items[0].id,
    ]);
    expect(rows[0]?.data).toMatchObject({ from: 'mint:treasury', to: user.id, amount: 2, kind: 'reward' });
  });

  it('When the same event is delivered again, then the reward is paid once', async () => {
    const user = await mint.user();
    const event = lesson(user.id);

    await mint.deliver([event]).expect(200);
    const again = await mint.deliver([event, event]);

    expect(again.body).toEqual({ handled: 0, duplicates: 2 });
    expect(await mint.balance(user.id)).toBe(2);
  });

  it('When the same event is delivered 10 times at once, then the reward is paid once', async () => {
    const user = await mint.user();
    const event = lesson(user.id);

    const results = await Promise.all(Array.from({ length: 10 }, () => mint.deliver([event])));

    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await mint.balance(user.id)).toBe(2);
    expect(await rewardsOf(user.id)).toBe(1);
  });

  it('When the same completion is published twice under different event ids, then it is paid once', async () => {
    const user = await mint.user();
    const lessonId = randomUUID();
    const first = lesson(user.id, lessonId);
    const republished = { ...first, id: randomUUID(), seq: first.seq + 1000 };

    await Promise.all([mint.deliver([first]), mint.deliver([republished])]);

    expect(await mint.balance(user.id)).toBe(2);
  });

  it('When a course is completed, then the course reward is paid', async () => {
    const user = await mint.user();

    await mint
      .deliver([
        mint.event('education.course.completed', {
          courseId: randomUUID(),
          userId: user.id,
          skills: ['sql'],
          authorIds: [randomUUID()],
          rewardEligible: true,
        }),
      ])
      .expect(200);

    expect(await mint.balance(user.id)).toBe(15);
  });

  it('When a job is completed, then the worker gets the bonus once per job', async () => {
    const worker = await mint.user();
    const jobId = randomUUID();
    const completed = () =>
      mint.event('forge.job.completed', {
        jobId,
        workerId: worker.id,
        reward: 500,
        employerId: randomUUID(),
        employerVerified: true,
      });

    await mint.deliver([completed()]).expect(200);
    await mint.deliver([completed()]).expect(200);

    expect(await mint.balance(worker.id)).toBe(70);
  });

  it('When a reward arrives before the registration, then the wallet is opened for it', async () => {
    const user = await mint.user({ wallet: false });

    await mint.deliver([lesson(user.id)]).expect(200);
    await mint
      .deliver([
        mint.event('identity.user.registered', {
          userId: user.id,
          email: 'b@example.com',
          name: 'Bo',
          role: 'student',
        }),
      ])
      .expect(200);

    expect(await mint.balance(user.id)).toBe(2);
  });

  it('When rewards are paid, then the ledger stays balanced and the reward metric counts them', async () => {
    const report = await mint.check();
    const metrics = await request(mint.url).get('/metrics');

    expect(report.ok).toBe(true);
    expect(report.treasuryBalance).toBeLessThan(0);
    expect(metrics.text).toMatch(/mint_rewards_total\{[^}]*trigger="lesson"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/mint_rewards_total\{[^}]*trigger="job"[^}]*\} 1/);
  });

  it('When a completion was rewarded before decisions were recorded, then it is not paid again', async () => {
    const user = await mint.user();
    const lessonId = randomUUID();
    const reference = `reward:lesson:${lessonId}:${user.id}`;
    await postTransfers(mint.pool, [
      preparePosting({ kind: 'reward', debit: TREASURY, credit: walletAccount(user.id), amount: 2, reference }, clock),
    ]);

    await mint.deliver([lesson(user.id, lessonId)]).expect(200);

    expect(await mint.balance(user.id)).toBe(2);
    expect(await rewardsOf(user.id)).toBe(1);
  });

  it('When a reward amount is configured as 0, then that reward is off', async () => {
    const quiet = await startMint({ settings: { rewards: { lesson: 0, course: 10, job: 50 } } });
    try {
      const user = await quiet.user();
      await quiet
        .deliver([
          quiet.event('education.lesson.completed', {
            courseId: randomUUID(),
            lessonId: randomUUID(),
            userId: user.id,
            authorIds: [randomUUID()],
            rewardEligible: true,
          }),
        ])
        .expect(200);
      expect(await quiet.balance(user.id)).toBe(0);
    } finally {
      await quiet.close();
    }
  });
});
