// User-to-user transfers: one posting from the sender's wallet to the recipient's, exactly once
// per Idempotency-Key; a replay answers with the stored result and moves nothing.
import type { TransferRequest, TransferResult } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { walletAccount } from '../domain/accounts';
import { transferToSelf } from '../domain/errors';
import { requestHash } from '../domain/idempotency';
import { postedTransfer, postingFailure, preparePosting } from '../domain/posting';
import type { Ledger, MintCounters, Post, PostingResult } from '../domain/ports';
import { toTransferResult } from '../domain/views';

export interface TransferCommand {
  fromUserId: string;
  request: TransferRequest;
  idempotencyKey: string;
  requestId: string | null;
}

export interface TransferDeps {
  post: Post;
  /** Opens a wallet (idempotently): the sender's, when their registration has not arrived yet. */
  openWallet: Ledger['openWallet'];
  clock: Clock;
  counters: MintCounters;
}

/** A sender without a wallet is a signed-in user whose registration has not arrived: their
 * wallet exists from the first request (with 0 AZR), so the answer is insufficient funds. */
function asSenderOutcome(result: PostingResult): PostingResult {
  return result.outcome === 'debit_missing' ? { ...result, outcome: 'insufficient_funds', available: 0 } : result;
}

export function createTransfers({ post, openWallet, clock, counters }: TransferDeps) {
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
    const posted = await post(posting);
    if (posted.outcome === 'debit_missing') await openWallet(fromUserId, posting.createdAt);
    const result = asSenderOutcome(posted);
    if (result.outcome !== 'posted') {
      const failure = postingFailure(result, request.amount);
      counters.transferFailed(failure.code);
      throw failure;
    }
    if (!result.replayed) counters.transferPosted('transfer');
    return { result: toTransferResult(postedTransfer(result)), replayed: result.replayed };
  };
}
