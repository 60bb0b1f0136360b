import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RewardDecisionsPage } from '@azora/contracts';
import { fixedClock } from '@azora/service-kit';
import { completions } from './support/completions';
import { startMint, type Mint, type TestUser } from './support/harness';

// Rewards cannot be farmed: Mint's reward policy judged end to end, through signed deliveries,
// the ledger and GET /wallet/rewards.
describe('the reward policy', () => {
  const clock = fixedClock('2026-11-30T10:00:00.000Z');
  let mint: Mint;
  let done: ReturnType<typeof completions>;

  beforeAll(async () => {
    mint = await startMint({ clock, poolSize: 12, settings: { rewards: { lesson: 2, course: 15, job: 70 } } });
    done = completions(mint);
  });
  afterAll(async () => {
    await mint.close();
  });

  const rewardsOf = async (user: TestUser, query: Record<string, string> = {}) => {
    const res = await request(mint.url).get('/wallet/rewards').query(query).set(user.auth);
    expect(res.status).toBe(200);
    return RewardDecisionsPage.parse(res.body);
  };
  const rewardPostings = async (userId: string) =>
    (
      await mint.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM transfers WHERE credit_account = $1 AND kind = 'reward'`,
        [`user:${userId}`],
      )
    ).rows[0]?.n;

  it('When an instructor completes their own one-lesson course again and again, then they earn 0 AZR', async () => {
    const farmer = await mint.user({ role: 'instructor' });

    for (let round = 0; round < 10; round += 1) {
      const own = { courseId: randomUUID(), authorIds: [farmer.id], rewardEligible: true };
      await mint.deliver([done.lesson(farmer.id, own), done.course(farmer.id, own)]).expect(200);
    }

    expect(await mint.balance(farmer.id)).toBe(0);
    expect(await rewardPostings(farmer.id)).toBe(0);
    const decisions = await rewardsOf(farmer, { limit: '100' });
    expect(decisions.items).toHaveLength(20);
    expect(new Set(decisions.items.map((d) => `${d.reason} ${d.paid}`))).toEqual(new Set(['own_course 0']));
  });

  it('When a co-author completes the course, then it pays nothing either', async () => {
    const coAuthor = await mint.user({ role: 'instructor' });

    await mint.deliver([done.course(coAuthor.id, { authorIds: [randomUUID(), coAuthor.id] })]).expect(200);

    expect(await mint.balance(coAuthor.id)).toBe(0);
    expect((await rewardsOf(coAuthor)).items[0]).toMatchObject({
      trigger: 'course',
      reason: 'own_course',
      heldBack: 15,
    });
  });

  it('When another student completes an eligible course, then its rewards are paid exactly once', async () => {
    const student = await mint.user();
    const facts = { courseId: randomUUID(), lessonId: randomUUID() };
    const lesson = done.lesson(student.id, facts);
    const course = done.course(student.id, facts);
    const republished = { ...course, id: randomUUID() };

    await mint.deliver([lesson, course]).expect(200);
    await Promise.all([mint.deliver([lesson, course]), mint.deliver([republished]), mint.deliver([republished])]);

    expect(await mint.balance(student.id)).toBe(2 + 15);
    expect(await rewardPostings(student.id)).toBe(2);
    const decisions = (await rewardsOf(student)).items;
    expect(decisions.map((d) => [d.trigger, d.amount, d.paid, d.heldBack, d.reason])).toEqual([
      ['course', 15, 15, 0, null],
      ['lesson', 2, 2, 0, null],
    ]);
    expect(decisions[0]?.reference).toBe(`reward:course:${facts.courseId}:${student.id}`);
    const history = await request(mint.url).get('/wallet/transactions').set(student.auth);
    expect(history.body.items.map((t: { id: string }) => t.id)).toEqual(decisions.map((d) => d.transferId));
  });

  it('When a course is not yet reward-eligible, then completing it pays nothing and says why', async () => {
    const student = await mint.user();

    await mint
      .deliver([done.lesson(student.id, { rewardEligible: false }), done.course(student.id, { rewardEligible: false })])
      .expect(200);

    expect(await mint.balance(student.id)).toBe(0);
    expect((await rewardsOf(student)).items.map((d) => [d.reason, d.paid, d.heldBack, d.transferId])).toEqual([
      ['not_eligible', 0, 15, null],
      ['not_eligible', 0, 2, null],
    ]);
  });

  it('When the employer is unverified or hired themselves, then no job bonus is minted', async () => {
    const worker = await mint.user();
    const selfHired = await mint.user({ role: 'employer' });

    await mint.deliver([done.job(worker.id, { employerVerified: false })]).expect(200);
    await mint.deliver([done.job(selfHired.id, { employerId: selfHired.id })]).expect(200);

    expect(await mint.balance(worker.id)).toBe(0);
    expect(await mint.balance(selfHired.id)).toBe(0);
    expect((await rewardsOf(worker)).items[0]).toMatchObject({ trigger: 'job', reason: 'unverified_employer' });
    expect((await rewardsOf(selfHired)).items[0]).toMatchObject({ trigger: 'job', reason: 'self_hire' });
  });

  it("When a verified employer's job is completed, then the bonus is paid once per job", async () => {
    const worker = await mint.user();
    const jobId = randomUUID();

    await mint.deliver([done.job(worker.id, { jobId })]).expect(200);
    await mint.deliver([done.job(worker.id, { jobId })]).expect(200);

    expect(await mint.balance(worker.id)).toBe(70);
    expect((await rewardsOf(worker)).items).toHaveLength(1);
  });

  it('When an event already decided is redelivered, then nothing changes', async () => {
    const student = await mint.user();
    const event = done.course(student.id, { rewardEligible: false });
    await mint.deliver([event]).expect(200);

    const again = await mint.deliver([event, event]);

    expect(again.body).toEqual({ handled: 0, duplicates: 2 });
    expect((await rewardsOf(student)).items).toHaveLength(1);
  });

  it('When a user has many decisions, then they come a page at a time, newest first', async () => {
    const student = await mint.user();
    for (let i = 0; i < 5; i += 1) {
      await mint.deliver([done.lesson(student.id)]).expect(200);
      clock.advance(1000);
    }

    const first = await rewardsOf(student, { limit: '2' });
    const second = await rewardsOf(student, { limit: '2', cursor: first.nextCursor as string });
    const last = await rewardsOf(student, { limit: '2', cursor: second.nextCursor as string });

    expect([first.items.length, second.items.length, last.items.length, last.nextCursor]).toEqual([2, 2, 1, null]);
    const all = [...first.items, ...second.items, ...last.items];
    expect(new Set(all.map((d) => d.id)).size).toBe(5);
    expect(all.map((d) => d.createdAt)).toEqual(
      all
        .map((d) => d.createdAt)
        .sort()
        .reverse(),
    );
  });

  it("When a user asks for another user's rewards, then there is no such wallet; an admin sees them", async () => {
    const student = await mint.user();
    const mallory = await mint.user();
    const admin = await mint.admin();
    await mint.deliver([done.lesson(student.id)]).expect(200);

    const snooped = await request(mint.url).get(`/wallets/${student.id}/rewards`).set(mallory.auth);
    const audited = await request(mint.url).get(`/wallets/${student.id}/rewards`).set(admin.auth);

    expect(snooped.status).toBe(404);
    expect(snooped.body).not.toHaveProperty('items');
    expect(RewardDecisionsPage.parse(audited.body).items).toHaveLength(1);
  });

  it('When rewards are decided, then the metrics count them by outcome and reason, and the AZR held back', async () => {
    const student = await mint.user();
    // A sample's value, by its name and leading labels (the registry adds a service label).
    const decided = (text: string, sample: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(sample.slice(0, -1)))
          ?.split(' ')
          .pop() ?? 0,
      );
    const paidCourse = 'mint_reward_decisions_total{trigger="course",outcome="paid",reason="none"}';
    const ownCourse = 'mint_reward_decisions_total{trigger="course",outcome="held_back",reason="own_course"}';
    const selfHireAzr = 'mint_reward_held_back_azr_total{trigger="job",reason="self_hire"}';
    const before = (await request(mint.url).get('/metrics')).text;

    await mint.deliver([done.course(student.id), done.course(student.id, { authorIds: [student.id] })]).expect(200);
    await mint.deliver([done.job(student.id, { employerId: student.id })]).expect(200);

    const after = (await request(mint.url).get('/metrics')).text;
    expect([paidCourse, ownCourse, selfHireAzr].map((m) => decided(after, m) - decided(before, m))).toEqual([1, 1, 70]);
  });
});
