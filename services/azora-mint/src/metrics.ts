// Mint's domain counters on the service's registry: postings by kind, refusals by error code,
// reward decisions by trigger, outcome and reason, and the AZR the reward policy held back.
import type { Metrics } from '@azora/service-kit';
import type { MintCounters } from './domain/ports';

/** Sizes of the groups of transfers written in one call (see src/db/posting-batcher.ts). */
export function groupSizeObserver(metrics: Metrics): (size: number) => void {
  const sizes = metrics.histogram(
    'mint_transfer_group_size',
    'Transfers written together in one database call',
    [],
    [1, 2, 4, 8, 16, 32, 64, 128],
  );
  return (size) => sizes.observe(size);
}

export function mintCounters(metrics: Metrics): MintCounters {
  const transfers = metrics.counter('mint_transfers_total', 'Postings applied to the ledger, by kind', ['kind']);
  const failures = metrics.counter('mint_transfer_failures_total', 'Transfers refused, by error code', ['code']);
  const rewards = metrics.counter('mint_rewards_total', 'Learn-to-earn rewards paid (in full or in part), by trigger', [
    'trigger',
  ]);
  const decisions = metrics.counter(
    'mint_reward_decisions_total',
    'Reward decisions, by trigger, outcome (paid, partly_paid, held_back) and hold-back reason (none when paid in full)',
    ['trigger', 'outcome', 'reason'],
  );
  const heldBack = metrics.counter(
    'mint_reward_held_back_azr_total',
    'AZR the reward policy held back, by trigger and reason',
    ['trigger', 'reason'],
  );
  return {
    transferPosted: (kind) => transfers.inc({ kind }),
    transferFailed: (code) => failures.inc({ code }),
    rewardDecided: ({ trigger, paid, heldBack: held, reason }) => {
      const outcome = held === 0 ? 'paid' : paid > 0 ? 'partly_paid' : 'held_back';
      decisions.inc({ trigger, outcome, reason: reason ?? 'none' });
      if (paid > 0) rewards.inc({ trigger });
      if (held > 0) heldBack.inc({ trigger, reason: reason ?? 'none' }, held);
    },
  };
}
