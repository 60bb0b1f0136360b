// Token top-ups paid through Pay: a succeeded payment for tokens credits the wallet once; a
// refunded one takes the tokens back as far as the wallet allows and records the rest as a
// debt (collected from later top-ups and rewards), so no wallet ever goes below zero.
import type { EventData } from '@azora/contracts';
import type { Clock } from '@azora/service-kit';
import { TREASURY, walletAccount, walletOwner } from '../domain/accounts';
import { postingFailure, preparePosting } from '../domain/posting';
import type { MintCounters, Stores } from '../domain/ports';
import type { MintSettings } from '../domain/settings';
import { collectDebts } from './debts';
import { lockTreasuryAndOpenWallet } from './treasury-lock';

type Payment = EventData<'pay.payment.succeeded'>;

export type TopUpOutcome = 'credited' | 'duplicate' | 'not_tokens' | 'too_small';
export type ReversalOutcome = {
  outcome: 'reversed' | 'duplicate' | 'not_credited' | 'not_tokens';
  taken: number;
  owed: number;
};

export function tokensFor(amountMinorUnits: number, settings: MintSettings): number {
  return Math.floor(amountMinorUnits / settings.topUpMinorUnitsPerAzr);
}

export function createTopUps({
  clock,
  settings,
  counters,
}: {
  clock: Clock;
  settings: MintSettings;
  counters: MintCounters;
}) {
  return {
    async credit(stores: Stores, payment: Payment, requestId: string | null): Promise<TopUpOutcome> {
      if (payment.purpose !== 'tokens') return 'not_tokens';
      const tokens = tokensFor(payment.amount, settings);
      if (tokens <= 0) return 'too_small';
      const posting = preparePosting(
        {
          kind: 'topup',
          debit: TREASURY,
          credit: walletAccount(payment.userId),
          amount: tokens,
          memo: 'Token top-up',
          reference: `topup:${payment.paymentId}`,
          requestId,
        },
        clock,
      );
      await lockTreasuryAndOpenWallet(stores, payment.userId, posting.createdAt);
      const result = await stores.ledger.post(posting);
      if (result.outcome === 'duplicate_reference') return 'duplicate';
      if (result.outcome !== 'posted') throw postingFailure(result, tokens);
      counters.transferPosted('topup');
      await collectDebts(stores, payment.userId, { clock, counters });
      return 'credited';
    },

    async reverse(stores: Stores, payment: Payment, requestId: string | null): Promise<ReversalOutcome> {
      const none = (outcome: ReversalOutcome['outcome']): ReversalOutcome => ({ outcome, taken: 0, owed: 0 });
      if (payment.purpose !== 'tokens') return none('not_tokens');
      const credited = await stores.ledger.transferByReference(`topup:${payment.paymentId}`);
      const userId = credited ? walletOwner(credited.creditAccount) : null;
      if (!credited || !userId) return none('not_credited');
      // Lock the wallet before looking for an earlier reversal, so two refunds of one payment
      // delivered at once see each other.
      const wallet = await stores.ledger.lockWalletAndTreasury(userId);
      const reference = `topup-reversal:${payment.paymentId}`;
      if (
        !wallet ||
        (await stores.ledger.transferByReference(reference)) ||
        (await stores.debts.exists(payment.paymentId))
      )
        return none('duplicate');
      const due = Math.min(credited.amount, tokensFor(payment.amount, settings));
      const taken = Math.min(wallet.balance, due);
      if (taken > 0) {
        const posting = preparePosting(
          {
            kind: 'topup_reversal',
            debit: walletAccount(userId),
            credit: TREASURY,
            amount: taken,
            memo: 'Top-up refunded',
            reference,
            requestId,
          },
          clock,
        );
        const result = await stores.ledger.post(posting);
        if (result.outcome !== 'posted') throw postingFailure(result, taken);
        counters.transferPosted('topup_reversal');
      }
      const owed = due - taken;
      if (owed > 0)
        await stores.debts.record({ paymentId: payment.paymentId, userId, original: owed, at: clock.now() });
      return { outcome: 'reversed', taken, owed };
    },
  };
}
