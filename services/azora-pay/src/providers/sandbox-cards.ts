// Stripe's test payment methods and what confirming with each does, as in Stripe's test mode.
export type CardOutcome =
  | { status: 'succeeded' }
  | { status: 'requires_payment_method'; error: { code: string; decline_code: string | null; message: string } }
  | { status: 'requires_action' };

const declined = (decline: string, message: string, code = 'card_declined'): CardOutcome => ({
  status: 'requires_payment_method',
  error: { code, decline_code: decline, message },
});

const TEST_CARDS: Readonly<Record<string, CardOutcome>> = {
  pm_card_visa: { status: 'succeeded' },
  pm_card_visa_debit: { status: 'succeeded' },
  pm_card_mastercard: { status: 'succeeded' },
  pm_card_amex: { status: 'succeeded' },
  pm_card_chargeDeclined: declined('generic_decline', 'Your card was declined.'),
  pm_card_chargeDeclinedInsufficientFunds: declined('insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_chargeDeclinedFraudulent: declined('fraudulent', 'Your card was declined.'),
  pm_card_chargeDeclinedExpiredCard: declined('expired_card', 'Your card has expired.', 'expired_card'),
  pm_card_chargeDeclinedIncorrectCvc: declined(
    'incorrect_cvc',
    "Your card's security code is incorrect.",
    'incorrect_cvc',
  ),
  pm_card_authenticationRequired: { status: 'requires_action' },
};

/** What confirming with `paymentMethod` does; undefined for a method the sandbox does not know. */
export function cardOutcome(paymentMethod: string): CardOutcome | undefined {
  return Object.hasOwn(TEST_CARDS, paymentMethod) ? TEST_CARDS[paymentMethod] : undefined;
}
