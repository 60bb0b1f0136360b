// Admin routes: mint and burn against the treasury (audited), the audit trail, and the
// ledger's invariants checked on demand.
import {
  AdminActionsPage,
  AdminSupplyRequest,
  AdminSupplyResult,
  IDEMPOTENT_REPLAY_HEADER,
  LedgerCheckReport,
  PageQuery,
} from '@azora/contracts';
import { currentUser, idempotencyKeyOf, type Api } from '@azora/service-kit';
import type { createAdmin } from '../use-cases/admin';

type Admin = ReturnType<typeof createAdmin>;

export function adminRoutes(
  api: Api,
  { admin, checkLedger }: { admin: Admin; checkLedger: () => Promise<LedgerCheckReport> },
): void {
  for (const action of ['mint', 'burn'] as const) {
    api.endpoint(
      {
        method: 'post',
        path: `/admin/${action}`,
        summary:
          action === 'mint'
            ? 'Mint AZR from the treasury into a wallet'
            : 'Burn AZR from a wallet back into the treasury',
        tags: ['admin'],
        access: ['admin'],
        body: AdminSupplyRequest,
        headers: {
          'Idempotency-Key': {
            required: false,
            description: 'Optional: the same key with the same body changes the supply once',
          },
        },
        responses: { 201: AdminSupplyResult },
      },
      async ({ body }, req, res) => {
        const key = idempotencyKeyOf(req, { required: false });
        const { result, replayed } = await admin.changeSupply({
          action,
          adminId: currentUser(req).id,
          request: body,
          idempotencyKey: key,
          requestId: req.id,
        });
        if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
        res.status(201).json(result);
      },
    );
  }

  api.endpoint(
    {
      method: 'get',
      path: '/admin/audit',
      summary: 'Admin supply changes, newest first',
      tags: ['admin'],
      access: ['admin'],
      query: PageQuery,
      responses: { 200: AdminActionsPage },
    },
    async ({ query }, _req, res) => {
      res.json(await admin.auditTrail(query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/admin/ledger/check',
      summary: 'Verify the ledger: sum zero, no negative wallet, every balance equal to its postings',
      tags: ['admin'],
      access: ['admin'],
      responses: { 200: LedgerCheckReport },
    },
    async (_input, _req, res) => {
      res.json(await checkLedger());
    },
  );
}
