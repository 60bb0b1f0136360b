// POST /transfers: the caller sends AZR to another user, once per Idempotency-Key.
import { IDEMPOTENT_REPLAY_HEADER, TransferRequest, TransferResult } from '@azora/contracts';
import { currentUser, idempotencyKeyOf, type Api } from '@azora/service-kit';
import type { createTransfers } from '../use-cases/transfers';

export const IDEMPOTENCY_HEADER_DOC = {
  'Idempotency-Key': {
    required: true,
    description:
      'A unique key per intended transfer (e.g. a UUID). The same key with the same body returns the first result and moves nothing; with another body it is a 409.',
  },
};

export function transferRoutes(api: Api, { transfer }: { transfer: ReturnType<typeof createTransfers> }): void {
  api.endpoint(
    {
      method: 'post',
      path: '/transfers',
      summary: 'Send AZR to another user',
      tags: ['transfers'],
      access: 'user',
      body: TransferRequest,
      headers: IDEMPOTENCY_HEADER_DOC,
      responses: { 201: TransferResult },
    },
    async ({ body }, req, res) => {
      const key = idempotencyKeyOf(req, { required: true, why: 'a retried transfer cannot move tokens twice' });
      const { result, replayed } = await transfer({
        fromUserId: currentUser(req).id,
        request: body,
        idempotencyKey: key,
        requestId: req.id,
      });
      if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
      res.status(201).json(result);
    },
  );
}
