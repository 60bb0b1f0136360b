// User-to-user transfers: one posting from the sender's wallet to the recipient's, exactly once
// per Idempotency-Key; a replay answers with the stored result and moves nothing.
import type { TransferRequest, TransferResult } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { walletAccount } from '../domain/accounts';
import { transferToSelf } from '../domain/errors';
import { requestHash } from '../domain/idempotency';
import { postedTransfer, postingFailure, preparePosting } from '../domain/posting';
import type { MintCounters, Post } from '../domain/ports';
import { toTransferResult } from '../domain/views';

export interface TransferCommand {
  fromUserId: string;
  request: TransferRequest;
  idempotencyKey: string;
  requestId: string | null;
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
      throw transferToSelf();
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
