// What a token top-up costs: a configured price per AZR in one currency, within configured
// limits. Mint converts back with its own MINT_TOPUP_MINOR_UNITS_PER_AZR: the two must agree.
import type { ProblemIssue } from '@azora/contracts';

export interface TokenPricing {
  /** Minor units (cents) one AZR costs. */
  readonly minorUnitsPerAzr: number;
  readonly currency: string;
  readonly minTokens: number;
  readonly maxTokens: number;
}

/** The issue naming `body.amount` when it is outside the limits; null when it is fine. */
export function tokenAmountIssue(tokens: number, pricing: TokenPricing): ProblemIssue | null {
  if (tokens >= pricing.minTokens && tokens <= pricing.maxTokens) return null;
  return {
    path: 'body.amount',
    message: `a top-up buys between ${pricing.minTokens} and ${pricing.maxTokens} AZR`,
    code: 'out_of_range',
  };
}

export function tokenPrice(tokens: number, pricing: TokenPricing): { amount: number; currency: string } {
  return { amount: tokens * pricing.minorUnitsPerAzr, currency: pricing.currency };
}
