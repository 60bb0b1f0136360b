import { randomUUID } from 'node:crypto';
import { courseClaim, decideReward, jobClaim, lessonClaim, utcDay } from '../src/domain/reward-policy';

// The reward policy on its own: a pure function of what the event carries and the day's total.
describe('the reward policy', () => {
  const student = randomUUID();
  const author = randomUUID();
  const limits = { amount: 10, paidToday: 0, dailyCap: 500 };
  const course = (facts: { authorIds?: string[]; rewardEligible?: boolean } = {}) =>
    courseClaim({
      courseId: randomUUID(),
      userId: student,
      skills: [],
      authorIds: facts.authorIds ?? [author],
      rewardEligible: facts.rewardEligible ?? true,
    });
  const job = (facts: { employerId?: string; employerVerified?: boolean } = {}) =>
    jobClaim({
      jobId: randomUUID(),
      workerId: student,
      reward: 100,
      employerId: facts.employerId ?? author,
      employerVerified: facts.employerVerified ?? true,
    });

  it("When another author's eligible course is completed under the cap, then it is paid in full", () => {
    expect(decideReward(course(), limits)).toEqual({ amount: 10, paid: 10, heldBack: 0, reason: null });
  });

  it.each([
    ['the only author', [student]],
    ['a co-author', [author, student]],
  ])('When the student is %s, then the course and its lessons pay nothing (own_course)', (_name, authorIds) => {
    const lesson = lessonClaim({
      courseId: randomUUID(),
      lessonId: randomUUID(),
      userId: student,
      authorIds,
      rewardEligible: true,
    });

    expect(decideReward(course({ authorIds }), limits)).toEqual({
      amount: 10,
      paid: 0,
      heldBack: 10,
      reason: 'own_course',
    });
    expect(decideReward(lesson, limits).reason).toBe('own_course');
  });

  it('When a course is not reward-eligible, then it pays nothing (not_eligible)', () => {
    expect(decideReward(course({ rewardEligible: false }), limits)).toMatchObject({ paid: 0, reason: 'not_eligible' });
  });

  it("When a course is both the student's own and not eligible, then own_course is the reason given", () => {
    expect(decideReward(course({ authorIds: [student], rewardEligible: false }), limits).reason).toBe('own_course');
  });

  it('When a reward would pass the daily cap, then it is paid up to the cap and the rest held back', () => {
    expect(decideReward(course(), { amount: 10, paidToday: 496, dailyCap: 500 })).toEqual({
      amount: 10,
      paid: 4,
      heldBack: 6,
      reason: 'daily_cap',
    });
    expect(decideReward(course(), { amount: 10, paidToday: 500, dailyCap: 500 })).toMatchObject({
      paid: 0,
      heldBack: 10,
      reason: 'daily_cap',
    });
    expect(decideReward(course(), { amount: 10, paidToday: 490, dailyCap: 500 })).toMatchObject({
      paid: 10,
      reason: null,
    });
  });

  it('When the employer is not verified or is the worker, then the job bonus is held back', () => {
    expect(decideReward(job({ employerVerified: false }), limits).reason).toBe('unverified_employer');
    expect(decideReward(job({ employerId: student }), limits).reason).toBe('self_hire');
    expect(decideReward(job({ employerId: student, employerVerified: false }), limits).reason).toBe('self_hire');
    expect(decideReward(job(), limits)).toMatchObject({ paid: 10, reason: null });
  });

  it('When the job bonus passes the cap, then it is capped like any other reward', () => {
    expect(decideReward(job(), { amount: 50, paidToday: 480, dailyCap: 500 })).toMatchObject({
      paid: 20,
      heldBack: 30,
      reason: 'daily_cap',
    });
  });

  it('When a time is given, then its UTC day is the day the cap counts', () => {
    expect(utcDay(new Date('2026-11-30T23:59:59.999-01:00'))).toBe('2026-12-01');
    expect(utcDay(new Date('2026-12-01T00:30:00+02:00'))).toBe('2026-11-30');
  });
});
