// Escrow for Forge: hold an amount from a user's wallet in an account of its own, then release
// it to a worker or refund it to the owner. Every call is idempotent by the hold's reference;
// release and refund post with one shared reference, so a hold is settled at most once.
import type { EscrowHold, EscrowHoldRequest } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { escrowAccount, walletAccount } from '../domain/accounts';
import { escrowAlreadySettled, escrowNotFound, escrowReferenceConflict } from '../domain/errors';
import { postedTransfer, postingFailure, preparePosting } from '../domain/posting';
import type { EscrowHoldRecord, MintCounters, Stores, UnitOfWork } from '../domain/ports';
import { toEscrowHold } from '../domain/views';

function assertSameHold(hold: EscrowHoldRecord, request: EscrowHoldRequest, caller: string): void {
  if (
    hold.createdBy !== caller ||
    hold.ownerId !== request.userId ||
    hold.amount !== request.amount ||
    hold.memo !== (request.memo ?? null)
  ) {
    throw escrowReferenceConflict(hold.reference);
  }
}

/** The hold, if `caller` made it: a hold of another service is not confirmed to exist. */
function ownHold(hold: EscrowHoldRecord | null, reference: string, caller: string): EscrowHoldRecord {
  if (!hold || hold.createdBy !== caller) throw escrowNotFound(reference);
  return hold;
}

export interface EscrowDeps {
  unitOfWork: UnitOfWork;
  clock: Clock;
  counters: MintCounters;
}

export type EscrowResult = { hold: EscrowHold; replayed: boolean };

export function createEscrow({ unitOfWork, clock, counters }: EscrowDeps) {
  async function settle(
    stores: Stores,
    hold: EscrowHoldRecord,
    to: { status: 'released' | 'refunded'; userId: string },
  ): Promise<EscrowHoldRecord> {
    const kind = to.status === 'released' ? 'escrow_release' : 'escrow_refund';
    const posting = preparePosting(
      {
        kind,
        debit: escrowAccount(hold.reference),
        credit: walletAccount(to.userId),
        amount: hold.amount,
        memo: hold.memo,
        reference: `escrow:${hold.reference}:settle`,
      },
      clock,
    );
    const result = await stores.ledger.post(posting);
    if (result.outcome !== 'posted') {
      // duplicate_reference cannot happen while the hold is locked and still 'held'.
      const failure = postingFailure(result, hold.amount);
      counters.transferFailed(failure.code);
      throw failure;
    }
    counters.transferPosted(kind);
    const released = to.status === 'released' ? to.userId : null;
    return stores.escrow.settle(hold.reference, {
      status: to.status,
      releasedTo: released,
      transferId: postedTransfer(result).id,
      at: posting.createdAt,
    });
  }

  return {
    async find(reference: string, caller: string): Promise<EscrowHold> {
      return unitOfWork(async ({ escrow }) => toEscrowHold(ownHold(await escrow.find(reference), reference, caller)));
    },

    async hold(request: EscrowHoldRequest, caller: string, requestId: string | null): Promise<EscrowResult> {
      return unitOfWork(async (stores) => {
        const existing = await stores.escrow.lock(request.reference);
        if (existing) {
          assertSameHold(existing, request, caller);
          return { hold: toEscrowHold(existing), replayed: true };
        }
        const posting = preparePosting(
          {
            kind: 'escrow_hold',
            debit: walletAccount(request.userId),
            credit: escrowAccount(request.reference),
            amount: request.amount,
            memo: request.memo,
            reference: `escrow:${request.reference}:hold`,
            requestId,
          },
          clock,
        );
        await stores.ledger.openEscrowAccount(request.reference, request.userId, posting.createdAt);
        const result = await stores.ledger.post(posting);
        if (result.outcome === 'duplicate_reference') {
          // A twin request made the hold while this one waited for the escrow account.
          const twin = await stores.escrow.find(request.reference);
          if (!twin) throw new Error(`hold ${request.reference} was posted but has no row`);
          assertSameHold(twin, request, caller);
          return { hold: toEscrowHold(twin), replayed: true };
        }
        if (result.outcome !== 'posted') {
          const failure = postingFailure(result, request.amount);
          counters.transferFailed(failure.code);
          throw failure;
        }
        counters.transferPosted('escrow_hold');
        const hold = await stores.escrow.insert({
          reference: request.reference,
          ownerId: request.userId,
          amount: request.amount,
          memo: request.memo ?? null,
          createdBy: caller,
          createdAt: posting.createdAt,
          holdTransferId: postedTransfer(result).id,
        });
        return { hold: toEscrowHold(hold), replayed: false };
      });
    },

    async release(reference: string, toUserId: string, caller: string): Promise<EscrowResult> {
      return unitOfWork(async (stores) => {
        const hold = ownHold(await stores.escrow.lock(reference), reference, caller);
        if (hold.status === 'released' && hold.releasedTo === toUserId)
          return { hold: toEscrowHold(hold), replayed: true };
        if (hold.status !== 'held') {
          throw escrowAlreadySettled(reference, hold.status);
        }
        return {
          hold: toEscrowHold(await settle(stores, hold, { status: 'released', userId: toUserId })),
          replayed: false,
        };
      });
    },

    async refund(reference: string, caller: string): Promise<EscrowResult> {
      return unitOfWork(async (stores) => {
        const hold = ownHold(await stores.escrow.lock(reference), reference, caller);
        if (hold.status === 'refunded') return { hold: toEscrowHold(hold), replayed: true };
        if (hold.status !== 'held') {
          throw escrowAlreadySettled(reference, hold.status);
        }
        return {
          hold: toEscrowHold(await settle(stores, hold, { status: 'refunded', userId: hold.ownerId })),
          replayed: false,
        };
      });
    },
  };
}
