// Turning an intent ("move 5 AZR from A to B because ...") into a posting request the ledger
// applies in one step, and a refused posting into the error the caller sees.
import { randomUUID } from 'node:crypto';
import { EVENT_DATA, IDEMPOTENT_REPLAY_HEADER, type TransferKind } from '@azora/contracts';
import { DomainError, type Clock } from '@azora/service-kit';
import { eventParty, walletOwner } from './accounts';
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
  if (!result.replayed) return error;
  return new DomainError(error.code, error.detail, {
    extras: error.extras,
    headers: { [IDEMPOTENT_REPLAY_HEADER]: 'true' },
  });
}

function refusal(result: PostingResult, amount: number): DomainError {
  switch (result.outcome) {
    case 'insufficient_funds':
      return new DomainError(
        'wallet.insufficient_funds',
        `The wallet holds ${result.available ?? 0} AZR; this needs ${amount} AZR`,
        { extras: { available: result.available ?? 0, required: amount } },
      );
    case 'debit_missing':
      return new DomainError('wallet.not_found', 'This user has no wallet yet');
    case 'credit_missing':
      return new DomainError('wallet.recipient_not_found', 'The recipient has no wallet: no such user');
    case 'balance_limit':
      return new DomainError(
        'wallet.balance_limit',
        'The receiving balance would exceed the largest balance a wallet can hold',
      );
    case 'key_reused':
      return new DomainError(
        'idempotency.key_reused',
        'This Idempotency-Key was already used with a different request; use a new key for a new request',
      );
    default:
      return new DomainError('ledger.duplicate_reference', 'This posting was made before');
  }
}

/** The transfer of a posted (or already posted) result. */
export function postedTransfer(result: PostingResult): TransferRecord {
  if (!result.transfer) throw new Error(`a ${result.outcome} posting came back without its transfer`);
  return result.transfer;
}
