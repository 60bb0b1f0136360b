// Mint's HTTP app: wallets, the double-entry AZR ledger and escrow, and the learn-to-earn
// rewards it pays when the events it consumes say so.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';
import { readLedgerFindings } from './db/ledger-check';
import { createPostingBatcher } from './db/posting-batcher';
import { createStores, createUnitOfWork } from './db/stores';
import { createAdmin } from './use-cases/admin';
import { createEscrow } from './use-cases/escrow';
import { judgeLedger } from './domain/ledger-check';
import { mintSettings, type MintSettings } from './domain/settings';
import { createRewardHistory } from './use-cases/rewards';
import { createTransfers } from './use-cases/transfers';
import { createWallets } from './use-cases/wallets';
import { registerEventHandlers } from './events/handlers';
import { groupSizeObserver, mintCounters } from './metrics';
import { adminRoutes } from './routes/admin';
import { escrowRoutes } from './routes/escrow';
import { transferRoutes } from './routes/transfers';
import { walletRoutes } from './routes/wallet';

export type MintDeps = CoreDeps & {
  /** Reward amounts and the top-up price; unset ones take the defaults (src/domain/settings.ts). */
  readonly settings?: Partial<MintSettings> | undefined;
};

export function createApp(deps: MintDeps): Express {
  const { pool, clock } = deps;
  const settings = mintSettings(deps.settings);
  const counters = mintCounters(deps.metrics);
  const stores = createStores(pool, deps.outbox);
  const unitOfWork = createUnitOfWork(pool, deps.outbox);
  registerEventHandlers({ events: deps.events, clock, logger: deps.logger, settings, counters, outbox: deps.outbox });

  return serviceApp(deps, {
    routes: (_router, api) => {
      walletRoutes(api, {
        wallets: createWallets({ ledger: stores.ledger, clock }),
        rewardHistory: createRewardHistory({ rewards: stores.rewards }),
      });
      transferRoutes(api, {
        transfer: createTransfers({
          post: createPostingBatcher({
            pool,
            logger: deps.logger,
            outbox: deps.outbox,
            onGroup: groupSizeObserver(deps.metrics),
          }),
          openWallet: stores.ledger.openWallet,
          clock,
          counters,
        }),
      });
      escrowRoutes(api, { escrow: createEscrow({ unitOfWork, clock, counters }) });
      adminRoutes(api, {
        admin: createAdmin({ unitOfWork, audit: stores.audit, clock, counters }),
        checkLedger: async () => judgeLedger(await readLedgerFindings(pool), clock.now()),
      });
    },
  });
}
