// Mint's domain counters on the service's registry: postings by kind, refusals by error code,
// rewards by what triggered them.
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
  const rewards = metrics.counter('mint_rewards_total', 'Learn-to-earn rewards paid, by trigger', ['trigger']);
  return {
    transferPosted: (kind) => transfers.inc({ kind }),
    transferFailed: (code) => failures.inc({ code }),
    rewardGranted: (trigger) => rewards.inc({ trigger }),
  };
}
