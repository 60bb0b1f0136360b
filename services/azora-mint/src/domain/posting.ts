// Turning an intent ("move 5 AZR from A to B because ...") into a posting request the ledger
// applies in one step, and a refused posting into the error the caller sees.
import { randomUUID } from 'node:crypto';
import { EVENT_DATA, type TransferKind } from '@azora/contracts';
import type { Clock, DomainError } from '@azora/service-kit';
import { eventParty, walletOwner } from './accounts';
import {
  asReplay,
  balanceLimit,
  duplicateReference,
  idempotencyKeyReused,
  insufficientFunds,
  recipientNotFound,
  walletNotFound,
} from './errors';
import type { PostingRequest, PostingResult, TransferRecord } from './ports';

export interface PostingIntent {
  kind: TransferKind;
  debit: string;
  credit: string;
  amount: number;
  memo?: string | null | undefined;
  reference?: string | null | undefined;
  requestId?: string | null | undefined;
  idempotency?: PostingRequest['idempotency'] | undefined;
}

/** Builds the posting and its mint.transfer.completed event; event data that does not match the
 * catalog throws here, before anything is written. */
export function preparePosting(intent: PostingIntent, clock: Clock): PostingRequest {
  const id = randomUUID();
  const data = EVENT_DATA['mint.transfer.completed'].parse({
    transferId: id,
    from: eventParty(intent.debit),
    to: eventParty(intent.credit),
    amount: intent.amount,
    kind: intent.kind,
  });
  return {
    id,
    kind: intent.kind,
    debit: intent.debit,
    credit: intent.credit,
    amount: intent.amount,
    memo: intent.memo ?? null,
    reference: intent.reference ?? null,
    requestId: intent.requestId ?? null,
    createdAt: clock.now(),
    // The event is about the user who received the tokens, else the one who paid them.
    event: { id: randomUUID(), data, subject: walletOwner(intent.credit) ?? walletOwner(intent.debit) },
    idempotency: intent.idempotency ?? null,
  };
}

/** The error for a posting that did not happen (a replayed refusal says so in a header);
 * `duplicate_reference` is the caller's to judge. */
export function postingFailure(result: PostingResult, amount: number): DomainError {
  const error = refusal(result, amount);
  return result.replayed ? asReplay(error) : error;
}

function refusal(result: PostingResult, amount: number): DomainError {
  switch (result.outcome) {
    case 'insufficient_funds':
      return insufficientFunds(result.available ?? 0, amount);
    case 'debit_missing':
      return walletNotFound();
    case 'credit_missing':
      return recipientNotFound();
    case 'balance_limit':
      return balanceLimit();
    case 'key_reused':
      return idempotencyKeyReused();
    default:
      return duplicateReference();
  }
}

/** The transfer of a posted (or already posted) result. */
export function postedTransfer(result: PostingResult): TransferRecord {
  if (!result.transfer) throw new Error(`a ${result.outcome} posting came back without its transfer`);
  return result.transfer;
}
