// Learn-to-earn rewards: each completion is judged by the reward policy (src/domain/
// reward-policy.ts), the decision recorded, and what it allows minted from the treasury, all in
// the transaction that records the triggering event in the inbox. A completion is decided at
// most once (its reference is unique), however often or concurrently its event arrives.
import type { Page, RewardDecision } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { randomUUID } from 'node:crypto';
import { TREASURY, walletAccount } from '../domain/accounts';
import { beforeSeq, pageBySeq } from '../domain/cursors';
import type { MintCounters, RewardDecisionRecord, RewardDecisionStore, Stores } from '../domain/ports';
import { postedTransfer, postingFailure, preparePosting } from '../domain/posting';
import { decideReward, utcDay, type RewardClaim, type RewardVerdict } from '../domain/reward-policy';
import type { MintSettings } from '../domain/settings';
import { toRewardDecision } from '../domain/views';
import { collectDebts } from './debts';
import { lockTreasuryAndOpenWallet } from './treasury-lock';

/** Where a claim came from, recorded with its decision. */
export interface ClaimSource {
  eventId: string | null;
  requestId: string | null;
}

type Decision = Omit<RewardDecisionRecord, 'seq'>;

export type GrantOutcome = { outcome: 'decided'; decision: Decision } | { outcome: 'duplicate' | 'disabled' };

export interface RewardDeps {
  clock: Clock;
  settings: MintSettings;
  counters: MintCounters;
}

export function createRewards({ clock, settings, counters }: RewardDeps) {
  /** Mints what the policy allows; returns the posting's transfer id, or null when nothing is paid. */
  async function pay(stores: Stores, claim: RewardClaim, verdict: RewardVerdict, requestId: string | null) {
    if (verdict.paid === 0) return { transferId: null, duplicate: false };
    const posting = preparePosting(
      {
        kind: 'reward',
        debit: TREASURY,
        credit: walletAccount(claim.userId),
        amount: verdict.paid,
        memo: claim.memo,
        reference: claim.reference,
        requestId,
      },
      clock,
    );
    const result = await stores.ledger.post(posting);
    // Paid before decisions were recorded (migrations/005 carries those over): decided already.
    if (result.outcome === 'duplicate_reference') return { transferId: null, duplicate: true };
    if (result.outcome !== 'posted') throw postingFailure(result, verdict.paid);
    counters.transferPosted('reward');
    return { transferId: postedTransfer(result).id, duplicate: false };
  }

  return {
    /** Decides `claim` and pays what the policy allows, inside the caller's transaction. */
    async grant(stores: Stores, claim: RewardClaim, source: ClaimSource): Promise<GrantOutcome> {
      const amount = settings.rewards[claim.trigger];
      if (amount <= 0) return { outcome: 'disabled' };
      const at = clock.now();
      // Every reward to this user waits here for the ones before it to commit, so the day's
      // total read below includes them: concurrent rewards cannot pass the cap together.
      await lockTreasuryAndOpenWallet(stores, claim.userId, at);
      if (await stores.rewards.decided(claim.reference)) return { outcome: 'duplicate' };
      const day = utcDay(at);
      const verdict = decideReward(claim, {
        amount,
        paidToday: await stores.rewards.paidOn(claim.userId, day),
        dailyCap: settings.rewardDailyCap,
      });
      const { transferId, duplicate } = await pay(stores, claim, verdict, source.requestId);
      if (duplicate) return { outcome: 'duplicate' };
      const decision: Decision = {
        id: randomUUID(),
        userId: claim.userId,
        trigger: claim.trigger,
        reference: claim.reference,
        ...verdict,
        transferId,
        day,
        eventId: source.eventId,
        requestId: source.requestId,
        createdAt: at,
      };
      if (!(await stores.rewards.record(decision))) throw new Error(`reward ${claim.reference} was decided twice`);
      counters.rewardDecided(decision);
      if (transferId) await collectDebts(stores, claim.userId, { clock, counters });
      return { outcome: 'decided', decision };
    },
  };
}

/** A user's reward decisions, newest first: what was paid, what was held back and why. */
export function createRewardHistory({ rewards }: { rewards: RewardDecisionStore }) {
  return async function rewardHistory(
    userId: string,
    { cursor, limit }: { cursor?: string | undefined; limit: number },
  ): Promise<Page<RewardDecision>> {
    const rows = await rewards.list(userId, { beforeSeq: beforeSeq(cursor), limit: limit + 1 });
    return pageBySeq(rows, limit, toRewardDecision);
  };
}
