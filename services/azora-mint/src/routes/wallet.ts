// GET /wallet, /wallet/transactions and /wallet/rewards: the caller's own wallet, its history and
// its reward decisions. GET /wallets/:userId(/transactions|/rewards): the same for its owner or
// an admin; anyone else is told there is no such wallet.
import { PageQuery, RewardDecisionsPage, Wallet, WalletParams, WalletTransactionsPage } from '@azora/contracts';
import { currentUser, type Api } from '@azora/service-kit';
import type { Request } from 'express';
import { walletNotFound } from '../domain/errors';
import type { createRewardHistory } from '../use-cases/rewards';
import type { createWallets, WalletQuery } from '../use-cases/wallets';

type Wallets = ReturnType<typeof createWallets>;
type RewardHistory = ReturnType<typeof createRewardHistory>;

/** The wallet `req`'s caller may read: their own, or anyone's for an admin. */
function readableBy(req: Request, userId: string): WalletQuery {
  const user = currentUser(req);
  // 404, not 403: another user's wallet is not even confirmed to exist.
  if (user.id !== userId && user.role !== 'admin') throw walletNotFound('No such wallet');
  return { userId, own: user.id === userId };
}

const own = (req: Request): WalletQuery => ({ userId: currentUser(req).id, own: true });

export function walletRoutes(
  api: Api,
  { wallets, rewardHistory }: { wallets: Wallets; rewardHistory: RewardHistory },
): void {
  api.endpoint(
    {
      method: 'get',
      path: '/wallet',
      summary: "The caller's wallet",
      tags: ['wallet'],
      access: 'user',
      responses: { 200: Wallet },
    },
    async (_input, req, res) => {
      res.json(await wallets.wallet(own(req)));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/wallet/transactions',
      summary: "The caller's wallet history, newest first",
      tags: ['wallet'],
      access: 'user',
      query: PageQuery,
      responses: { 200: WalletTransactionsPage },
    },
    async ({ query }, req, res) => {
      res.json(await wallets.transactions(own(req), query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/wallets/:userId',
      summary: 'A wallet (its owner or an admin)',
      tags: ['wallet'],
      access: 'user',
      params: WalletParams,
      responses: { 200: Wallet },
    },
    async ({ params }, req, res) => {
      res.json(await wallets.wallet(readableBy(req, params.userId)));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/wallets/:userId/transactions',
      summary: "A wallet's history (its owner or an admin)",
      tags: ['wallet'],
      access: 'user',
      params: WalletParams,
      query: PageQuery,
      responses: { 200: WalletTransactionsPage },
    },
    async ({ params, query }, req, res) => {
      res.json(await wallets.transactions(readableBy(req, params.userId), query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/wallet/rewards',
      summary: "The caller's reward decisions, newest first: what each completion paid, what was held back and why",
      tags: ['wallet'],
      access: 'user',
      query: PageQuery,
      responses: { 200: RewardDecisionsPage },
    },
    async ({ query }, req, res) => {
      res.json(await rewardHistory(currentUser(req).id, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/wallets/:userId/rewards',
      summary: "A user's reward decisions (the user or an admin)",
      tags: ['wallet'],
      access: 'user',
      params: WalletParams,
      query: PageQuery,
      responses: { 200: RewardDecisionsPage },
    },
    async ({ params, query }, req, res) => {
      res.json(await rewardHistory(readableBy(req, params.userId).userId, query));
    },
  );
}
