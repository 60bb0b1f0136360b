// Mint's reward policy: what a completion earns, judged only from what its event carries and
// what the user was already paid that UTC day. Rewards cannot be farmed:
//   - nothing for a course the user authored or co-authored, nor for its lessons (own_course);
//   - a course and its lessons pay only once an admin marked it reward-eligible (not_eligible);
//   - the job bonus only for an employer an admin verified (unverified_employer), and never
//     when the worker is the employer (self_hire);
//   - each user's reward AZR per UTC day is capped: a reward that would pass the cap is paid up
//     to it and the rest is held back (daily_cap).
// The reasons are checked in that order: the first that applies is the one recorded.
import type { EventData, RewardHoldBackReason, RewardTrigger } from '@azora/contracts';

/** What a completion's event says, as far as the policy cares. */
export type RewardFacts =
  | { readonly kind: 'course'; readonly authorIds: readonly string[]; readonly rewardEligible: boolean }
  | { readonly kind: 'job'; readonly employerId: string; readonly employerVerified: boolean };

export interface RewardClaim {
  readonly trigger: RewardTrigger;
  readonly userId: string;
  /** What was completed, by whom: at most one decision (and one payment) per reference. */
  readonly reference: string;
  readonly memo: string;
  readonly facts: RewardFacts;
}

export interface RewardVerdict {
  /** What the reward is worth by configuration. */
  readonly amount: number;
  readonly paid: number;
  readonly heldBack: number;
  readonly reason: RewardHoldBackReason | null;
}

export interface RewardLimits {
  /** The configured amount of this kind of reward (> 0). */
  readonly amount: number;
  /** Reward AZR the user was already paid on the UTC day of this decision. */
  readonly paidToday: number;
  readonly dailyCap: number;
}

export function lessonClaim(data: EventData<'education.lesson.completed'>): RewardClaim {
  return {
    trigger: 'lesson',
    userId: data.userId,
    reference: `reward:lesson:${data.lessonId}:${data.userId}`,
    memo: 'Lesson completed',
    facts: { kind: 'course', authorIds: data.authorIds, rewardEligible: data.rewardEligible },
  };
}

export function courseClaim(data: EventData<'education.course.completed'>): RewardClaim {
  return {
    trigger: 'course',
    userId: data.userId,
    reference: `reward:course:${data.courseId}:${data.userId}`,
    memo: 'Course completed',
    facts: { kind: 'course', authorIds: data.authorIds, rewardEligible: data.rewardEligible },
  };
}

export function jobClaim(data: EventData<'forge.job.completed'>): RewardClaim {
  return {
    trigger: 'job',
    userId: data.workerId,
    reference: `reward:job:${data.jobId}`,
    memo: 'Job completed bonus',
    facts: { kind: 'job', employerId: data.employerId, employerVerified: data.employerVerified },
  };
}

/** Why nothing may be paid for this claim whatever the day's total, or null when it may. */
function refusal(claim: RewardClaim): RewardHoldBackReason | null {
  const { facts, userId } = claim;
  if (facts.kind === 'course') {
    if (facts.authorIds.includes(userId)) return 'own_course';
    if (!facts.rewardEligible) return 'not_eligible';
    return null;
  }
  if (facts.employerId === userId) return 'self_hire';
  if (!facts.employerVerified) return 'unverified_employer';
  return null;
}

export function decideReward(claim: RewardClaim, { amount, paidToday, dailyCap }: RewardLimits): RewardVerdict {
  const refused = refusal(claim);
  if (refused) return { amount, paid: 0, heldBack: amount, reason: refused };
  const paid = Math.min(amount, Math.max(0, dailyCap - paidToday));
  const heldBack = amount - paid;
  return { amount, paid, heldBack, reason: heldBack > 0 ? 'daily_cap' : null };
}

/** The UTC day of `at`, as the cap counts days: `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
