// User-to-user transfers: one posting from the sender's wallet to the recipient's, exactly once
// per Idempotency-Key; a replay answers with the stored result and moves nothing.
import { AZR, type TransferRequest, type TransferResult } from '@azora/contracts';
import { DomainError, type Clock } from '@azora/service-kit';
import { walletAccount, walletOwner } from './accounts';
import { requestHash } from './idempotency';
import { postedTransfer, postingFailure, preparePosting } from './posting';
import type { MintCounters, Post, TransferRecord } from './ports';

export interface TransferCommand {
  fromUserId: string;
  request: TransferRequest;
  idempotencyKey: string;
  requestId: string | null;
}

export function toTransferResult(transfer: TransferRecord): TransferResult {
  return {
    id: transfer.id,
    kind: transfer.kind,
    fromUserId: walletOwner(transfer.debitAccount) ?? '',
    toUserId: walletOwner(transfer.creditAccount) ?? '',
    amount: transfer.amount,
    memo: transfer.memo,
    balance: transfer.debitBalance,
    currency: AZR,
    createdAt: transfer.createdAt.toISOString(),
  };
}

export function createTransfers({ post, clock, counters }: { post: Post; clock: Clock; counters: MintCounters }) {
  return async function transfer({
    fromUserId,
    request,
    idempotencyKey,
    requestId,
  }: TransferCommand): Promise<{ result: TransferResult; replayed: boolean }> {
    if (request.toUserId === fromUserId) {
      counters.transferFailed('transfer.to_self');
      throw new DomainError('transfer.to_self', 'A wallet cannot transfer to itself');
    }
    const memo = request.memo ?? null;
    const posting = preparePosting(
      {
        kind: 'transfer',
        debit: walletAccount(fromUserId),
        credit: walletAccount(request.toUserId),
        amount: request.amount,
        memo,
        requestId,
        idempotency: {
          userId: fromUserId,
          key: idempotencyKey,
          requestHash: requestHash('POST /transfers', [request.toUserId, request.amount, memo]),
        },
      },
      clock,
    );
    const result = await post(posting);
    if (result.outcome !== 'posted') {
      const failure = postingFailure(result, request.amount);
      counters.transferFailed(failure.code);
      throw failure;
    }
    if (!result.replayed) counters.transferPosted('transfer');
    return { result: toTransferResult(postedTransfer(result)), replayed: result.replayed };
  };
}
