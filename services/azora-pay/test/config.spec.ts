// Pay's configuration: Stripe only with both keys, the sandbox otherwise, and limits that hold.
import { type ConfigError, loadConfig } from '@azora/service-kit';
import { configSchema } from '../src/config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/azora' };
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(configSchema(), { ...base, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('configuration', () => {
  it('When nothing is set, then the sandbox is the provider and a top-up costs 1 USD cent per AZR', () => {
    const config = loadConfig(configSchema(), base);

    expect(config.stripe).toBeUndefined();
    expect(config.tokens).toEqual({ minorUnitsPerAzr: 1, currency: 'USD', minTokens: 50, maxTokens: 100_000 });
    expect(config.port).toBe(3010);
  });

  it('When both Stripe keys are set, then Stripe is the provider', () => {
    const config = loadConfig(configSchema(), {
      ...base,
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
    });

    expect(config.stripe).toEqual({
      secretKey: 'sk_test_123',
      webhookSecret: 'whsec_123',
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
    });
  });

  it('When only one Stripe key is set, then start-up stops naming the missing one', () => {
    expect(problemsOf({ STRIPE_SECRET_KEY: 'sk_test_123' })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET/)]);
    expect(problemsOf({ STRIPE_WEBHOOK_SECRET: 'whsec_123' })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY/)]);
  });

  it('When the top-up limits contradict each other or exceed what Stripe charges, then start-up stops naming them', () => {
    expect(problemsOf({ PAY_TOKEN_MIN_AMOUNT: '500', PAY_TOKEN_MAX_AMOUNT: '100' })).toEqual([
      expect.stringMatching(/^PAY_TOKEN_MIN_AMOUNT/),
    ]);
    expect(problemsOf({ PAY_TOKEN_PRICE_MINOR_UNITS: '1000', PAY_TOKEN_MAX_AMOUNT: '1000000' })).toEqual([
      expect.stringMatching(/^PAY_TOKEN_MAX_AMOUNT/),
    ]);
    expect(problemsOf({ PAY_TOKEN_CURRENCY: 'usd', PORT: 'x' })).toHaveLength(2);
  });
});
