// GET /wallet and /wallet/transactions: the caller's own wallet. GET /wallets/:userId(/transactions):
// the same for its owner or an admin; anyone else is told there is no such wallet.
import { PageQuery, Wallet, WalletParams, WalletTransactionsPage } from '@azora/contracts';
import { currentUser, type Api } from '@azora/service-kit';
import type { Request } from 'express';
import { walletNotFound } from '../domain/errors';
import type { createWallets, WalletQuery } from '../use-cases/wallets';

type Wallets = ReturnType<typeof createWallets>;

/** The wallet `req`'s caller may read: their own, or anyone's for an admin. */
function readableBy(req: Request, userId: string): WalletQuery {
  const user = currentUser(req);
  // 404, not 403: another user's wallet is not even confirmed to exist.
  if (user.id !== userId && user.role !== 'admin') throw walletNotFound('No such wallet');
  return { userId, own: user.id === userId };
}

const own = (req: Request): WalletQuery => ({ userId: currentUser(req).id, own: true });

export function walletRoutes(api: Api, { wallets }: { wallets: Wallets }): void {
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
}
