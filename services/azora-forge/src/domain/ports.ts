// Mint's escrow as Forge's use cases see it. Every call is idempotent by reference, and the answer
// says which of three things happened: Mint did it (or had done it), Mint refused it for good, or
// nobody knows (no answer, or a server error), in which case the same call is simply repeated.
import type { EscrowHold, EscrowHoldRequest } from '@azora/contracts';

export type EscrowOutcome =
  | { readonly kind: 'done'; readonly hold: EscrowHold }
  | {
      readonly kind: 'refused';
      readonly status: number;
      /** Mint's problem code, e.g. wallet.insufficient_funds or escrow.already_settled. */
      readonly code: string;
      readonly detail: string;
      readonly available?: number | undefined;
    }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface EscrowLedger {
  hold(request: EscrowHoldRequest): Promise<EscrowOutcome>;
  release(reference: string, toUserId: string): Promise<EscrowOutcome>;
  refund(reference: string): Promise<EscrowOutcome>;
}
