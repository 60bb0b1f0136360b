// Mint's errors, each with a stable code from packages/contracts/src/problems/mint.ts: what a
// client can branch on. A code, never an HTTP status: the kit maps codes to responses.
import { IDEMPOTENT_REPLAY_HEADER } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';

export { invalidCursor } from '@azora/service-kit/errors';

export const walletNotFound = (detail = 'This user has no wallet yet') => new DomainError('wallet.not_found', detail);

export const recipientNotFound = () =>
  new DomainError('wallet.recipient_not_found', 'The recipient has no wallet: no such user');

export const insufficientFunds = (available: number, required: number) =>
  new DomainError('wallet.insufficient_funds', `The wallet holds ${available} AZR; this needs ${required} AZR`, {
    extras: { available, required },
  });

export const balanceLimit = () =>
  new DomainError('wallet.balance_limit', 'The receiving balance would exceed the largest balance a wallet can hold');

export const transferToSelf = () => new DomainError('transfer.to_self', 'A wallet cannot transfer to itself');

export const idempotencyKeyReused = () =>
  new DomainError(
    'idempotency.key_reused',
    'This Idempotency-Key was already used with a different request; use a new key for a new request',
  );

export const duplicateReference = () => new DomainError('ledger.duplicate_reference', 'This posting was made before');

/** Also the answer for a hold another service made: its existence is not confirmed. */
export const escrowNotFound = (reference: string) =>
  new DomainError('escrow.not_found', `No escrow hold "${reference}"`);

export const escrowReferenceConflict = (reference: string) =>
  new DomainError('escrow.reference_conflict', `The hold "${reference}" exists with a different user, amount or memo`);

export const escrowAlreadySettled = (reference: string, status: string) =>
  new DomainError('escrow.already_settled', `The hold "${reference}" was already ${status}`);

export const serviceCredentialRequired = () =>
  new DomainError('auth.service_credential_required', 'This route is for Azora services');

/** The same error, marked as the stored answer of an earlier request with the same key. */
export function asReplay(error: DomainError): DomainError {
  return new DomainError(error.code, error.detail, {
    extras: error.extras,
    headers: { ...error.headers, [IDEMPOTENT_REPLAY_HEADER]: 'true' },
  });
}
