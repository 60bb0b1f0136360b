// Admin supply changes: mint moves tokens from the treasury to a wallet, burn moves them back.
// Each one is audited (who, what, how much, why, when) in the same transaction as its posting,
// and is idempotent per admin when an Idempotency-Key is sent.
import type { AdminAction, AdminSupplyRequest, AdminSupplyResult, Page } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { TREASURY, walletAccount } from '../domain/accounts';
import { beforeSeq, pageBySeq } from '../domain/cursors';
import { requestHash } from '../domain/idempotency';
import { postedTransfer, postingFailure, preparePosting } from '../domain/posting';
import type { AuditStore, MintCounters, UnitOfWork } from '../domain/ports';
import { toAdminAction } from '../domain/views';

export interface SupplyCommand {
  action: 'mint' | 'burn';
  adminId: string;
  request: AdminSupplyRequest;
  idempotencyKey: string | null;
  requestId: string | null;
}

export function createAdmin({
  unitOfWork,
  audit,
  clock,
  counters,
}: {
  unitOfWork: UnitOfWork;
  audit: AuditStore;
  clock: Clock;
  counters: MintCounters;
}) {
  return {
    async changeSupply({
      action,
      adminId,
      request,
      idempotencyKey,
      requestId,
    }: SupplyCommand): Promise<{ result: AdminSupplyResult; replayed: boolean }> {
      const wallet = walletAccount(request.userId);
      const memo = request.memo ?? null;
      const posting = preparePosting(
        {
          kind: action,
          debit: action === 'mint' ? TREASURY : wallet,
          credit: action === 'mint' ? wallet : TREASURY,
          amount: request.amount,
          memo,
          requestId,
          idempotency:
            idempotencyKey === null
              ? null
              : {
                  userId: adminId,
                  key: idempotencyKey,
                  requestHash: requestHash(`POST /admin/${action}`, [request.userId, request.amount, memo]),
                },
        },
        clock,
      );
      return unitOfWork(async (stores) => {
        const result = await stores.ledger.post(posting);
        if (result.outcome !== 'posted') {
          const failure = postingFailure(result, request.amount);
          counters.transferFailed(failure.code);
          throw failure;
        }
        const transfer = postedTransfer(result);
        const audited = result.replayed
          ? await stores.audit.byTransfer(transfer.id)
          : await stores.audit.record({
              id: posting.event.id,
              adminId,
              action,
              userId: request.userId,
              amount: request.amount,
              memo,
              transferId: transfer.id,
              requestId,
              createdAt: posting.createdAt,
            });
        if (!audited) throw new Error(`admin ${action} ${transfer.id} has no audit record`);
        if (!result.replayed) counters.transferPosted(action);
        return {
          replayed: result.replayed,
          result: {
            id: transfer.id,
            kind: action,
            userId: request.userId,
            amount: transfer.amount,
            memo: transfer.memo,
            balance: action === 'mint' ? transfer.creditBalance : transfer.debitBalance,
            auditId: audited.id,
            createdAt: transfer.createdAt.toISOString(),
          },
        };
      });
    },

    async auditTrail({ cursor, limit }: { cursor?: string | undefined; limit: number }): Promise<Page<AdminAction>> {
      const rows = await audit.list({ beforeSeq: beforeSeq(cursor), limit: limit + 1 });
      return pageBySeq(rows, limit, toAdminAction);
    },
  };
}
