// Learn-to-earn: rewards minted from the treasury when a lesson, a course or a job is completed.
// Each is posted with a reference naming what was completed, so it is paid at most once even
// if the event is delivered again, concurrently, or published twice under different ids.
import type { EventData } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { TREASURY, walletAccount } from '../domain/accounts';
import { postingFailure, preparePosting } from '../domain/posting';
import type { MintCounters, Stores } from '../domain/ports';
import type { MintSettings } from '../domain/settings';
import { collectDebts } from './debts';

export type RewardTrigger = keyof MintSettings['rewards'];

export interface Reward {
  trigger: RewardTrigger;
  userId: string;
  /** What was completed: unique per reward ever paid. */
  reference: string;
  memo: string;
}

export function lessonReward(data: EventData<'education.lesson.completed'>): Reward {
  return {
    trigger: 'lesson',
    userId: data.userId,
    reference: `reward:lesson:${data.lessonId}:${data.userId}`,
    memo: 'Lesson completed',
  };
}

export function courseReward(data: EventData<'education.course.completed'>): Reward {
  return {
    trigger: 'course',
    userId: data.userId,
    reference: `reward:course:${data.courseId}:${data.userId}`,
    memo: 'Course completed',
  };
}

export function jobReward(data: EventData<'forge.job.completed'>): Reward {
  return { trigger: 'job', userId: data.workerId, reference: `reward:job:${data.jobId}`, memo: 'Job completed bonus' };
}

export function createRewards({
  clock,
  settings,
  counters,
}: {
  clock: Clock;
  settings: MintSettings;
  counters: MintCounters;
}) {
  /** Pays `reward` inside the caller's transaction; 'duplicate' when it was paid before. */
  return async function grant(
    stores: Stores,
    reward: Reward,
    requestId: string | null,
  ): Promise<'granted' | 'duplicate' | 'disabled'> {
    const amount = settings.rewards[reward.trigger];
    if (amount <= 0) return 'disabled';
    const posting = preparePosting(
      {
        kind: 'reward',
        debit: TREASURY,
        credit: walletAccount(reward.userId),
        amount,
        memo: reward.memo,
        reference: reward.reference,
        requestId,
      },
      clock,
    );
    // The event proves the user exists: a reward never waits for the registration event.
    await stores.ledger.openWallet(reward.userId, posting.createdAt);
    const result = await stores.ledger.post(posting);
    if (result.outcome === 'duplicate_reference') return 'duplicate';
    if (result.outcome !== 'posted') throw postingFailure(result, amount);
    counters.transferPosted('reward');
    counters.rewardGranted(reward.trigger);
    await collectDebts(stores, reward.userId, { clock, counters });
    return 'granted';
  };
}
