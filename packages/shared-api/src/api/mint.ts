// mint: AZR wallets, their history and transfers, and the admin routes (supply changes, audit,
// ledger check), under /api/mint. Escrow routes take service credentials and are not here.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { withIdempotencyKey } from '../idempotency';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/mint';

export interface TransferOptions extends RequestOptions {
  /**
   * Sent as the Idempotency-Key header: the same key with the same body is one transfer, so
   * keep it to retry a transfer whose outcome you did not see. Generated when not given.
   */
  idempotencyKey?: string | undefined;
}

export function createMintApi(transport: Transport) {
  return {
    /** GET /api/mint/wallet: the caller's balance. */
    wallet(options?: RequestOptions): Promise<Output<typeof C.Wallet>> {
      return transport.call({ method: 'GET', path: `${BASE}/wallet` }, options);
    },

    /** GET /api/mint/wallet/transactions?cursor=&limit=: newest first, one page. */
    transactions(
      query?: Input<typeof C.PageQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.WalletTransactionsPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/wallet/transactions`, query }, options);
    },

    /** GET /api/mint/wallets/:userId (its owner or an admin). */
    getWallet(userId: string, options?: RequestOptions): Promise<Output<typeof C.Wallet>> {
      return transport.call({ method: 'GET', path: BASE + path`/wallets/${userId}` }, options);
    },

    /** GET /api/mint/wallets/:userId/transactions?cursor=&limit= (its owner or an admin). */
    walletTransactions(
      userId: string,
      query?: Input<typeof C.PageQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.WalletTransactionsPage>> {
      return transport.call({ method: 'GET', path: BASE + path`/wallets/${userId}/transactions`, query }, options);
    },

    /** GET /api/mint/wallet/rewards: every learn-to-earn reward decision about the caller, newest
     * first: what was paid, and what was held back and why (own course, not eligible, daily cap…). */
    rewards(
      query?: Input<typeof C.PageQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.RewardDecisionsPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/wallet/rewards`, query }, options);
    },

    /** GET /api/mint/wallets/:userId/rewards (its owner or an admin). */
    walletRewards(
      userId: string,
      query?: Input<typeof C.PageQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.RewardDecisionsPage>> {
      return transport.call({ method: 'GET', path: BASE + path`/wallets/${userId}/rewards`, query }, options);
    },

    /** POST /api/mint/transfers with an Idempotency-Key header → 201. */
    transfer(
      body: Input<typeof C.TransferRequest>,
      options: TransferOptions = {},
    ): Promise<Output<typeof C.TransferResult>> {
      return transport.call(withIdempotencyKey({ method: 'POST', path: `${BASE}/transfers`, body }, options), options);
    },

    /** POST /api/mint/admin/mint (admin) → 201: AZR from the treasury into a wallet. */
    mintTokens(
      body: Input<typeof C.AdminSupplyRequest>,
      options: TransferOptions = {},
    ): Promise<Output<typeof C.AdminSupplyResult>> {
      return transport.call(withIdempotencyKey({ method: 'POST', path: `${BASE}/admin/mint`, body }, options), options);
    },

    /** POST /api/mint/admin/burn (admin) → 201: AZR from a wallet back into the treasury. */
    burnTokens(
      body: Input<typeof C.AdminSupplyRequest>,
      options: TransferOptions = {},
    ): Promise<Output<typeof C.AdminSupplyResult>> {
      return transport.call(withIdempotencyKey({ method: 'POST', path: `${BASE}/admin/burn`, body }, options), options);
    },

    /** GET /api/mint/admin/audit?cursor=&limit= (admin): supply changes, newest first. */
    auditTrail(
      query?: Input<typeof C.PageQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.AdminActionsPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/admin/audit`, query }, options);
    },

    /** GET /api/mint/admin/ledger/check (admin): the ledger's invariants. */
    checkLedger(options?: RequestOptions): Promise<Output<typeof C.LedgerCheckReport>> {
      return transport.call({ method: 'GET', path: `${BASE}/admin/ledger/check` }, options);
    },
  };
}

export type MintApi = ReturnType<typeof createMintApi>;
