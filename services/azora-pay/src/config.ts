// Pay's configuration, parsed once from the environment at start-up: the settings every service
// has, the payment provider (Stripe when both of its keys are set, the sandbox otherwise), the
// token top-up price and limits, Education's address, and the reconciliation schedule.
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, intVar, readConfigOrExit, urlVar } from '@azora/service-kit';

export const SERVICE = serviceInfo('azora-pay');

/** Stripe's largest amount: eight digits of minor units. */
export const MAX_CHARGE_MINOR_UNITS = 99_999_999;

const payVariables = z
  .looseObject({
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\S+$/, 'expected a Stripe secret key (sk_…)')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\S+$/, 'expected a webhook signing secret (whsec_…)')
      .optional(),
    /** A stand-in for api.stripe.com (stripe-mock, a test server). */
    STRIPE_API_URL: urlVar().optional(),
    PAY_SANDBOX_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\S{16,}$/, 'expected whsec_ and 16 characters or more')
      .optional(),
    PAY_SANDBOX_WEBHOOK_ATTEMPTS: intVar(8, 1, 50),
    PAY_SANDBOX_WEBHOOK_RETRY_MS: intVar(1_000, 10),
    PAY_TOKEN_PRICE_MINOR_UNITS: intVar(1, 1, 1_000_000),
    PAY_TOKEN_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD')
      .default('USD'),
    PAY_TOKEN_MIN_AMOUNT: intVar(50, 1),
    PAY_TOKEN_MAX_AMOUNT: intVar(100_000, 1),
    AZORA_EDUCATION_URL: urlVar().default('http://127.0.0.1:3001'),
    PAY_EDUCATION_TIMEOUT_MS: intVar(5_000, 100),
    PAY_PROVIDER_TIMEOUT_MS: intVar(20_000, 1_000),
    PAY_RECONCILE_INTERVAL_MS: intVar(60_000, 100),
    PAY_RECONCILE_MIN_AGE_MS: intVar(30_000, 0),
    PAY_RECONCILE_MAX_AGE_HOURS: intVar(72, 1),
    PAY_RECONCILE_BATCH: intVar(100, 1, 1_000),
  })
  .superRefine((env, ctx) => {
    // Half a Stripe configuration is a mistake, never a reason to fall back to the sandbox.
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
      const missing = env.STRIPE_SECRET_KEY ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'set both Stripe keys, or neither for the sandbox' });
    }
    if (env.PAY_TOKEN_MIN_AMOUNT > env.PAY_TOKEN_MAX_AMOUNT) {
      ctx.addIssue({ code: 'custom', path: ['PAY_TOKEN_MIN_AMOUNT'], message: 'must not exceed PAY_TOKEN_MAX_AMOUNT' });
    }
    if (env.PAY_TOKEN_MAX_AMOUNT * env.PAY_TOKEN_PRICE_MINOR_UNITS > MAX_CHARGE_MINOR_UNITS) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAY_TOKEN_MAX_AMOUNT'],
        message: `times PAY_TOKEN_PRICE_MINOR_UNITS must stay within ${MAX_CHARGE_MINOR_UNITS} minor units`,
      });
    }
  });

function apiLocation(url: string | undefined) {
  if (!url) return undefined;
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  return { host: parsed.hostname, port: Number(parsed.port || (protocol === 'http' ? 80 : 443)), protocol } as const;
}

export function configSchema() {
  const base = baseServiceConfig(SERVICE.schema, SERVICE.port);
  // Both parts are checked, so one start-up message names every bad variable.
  return z.record(z.string(), z.string()).transform((vars, ctx) => {
    const common = base.safeParse(vars);
    const own = payVariables.safeParse(vars);
    for (const issue of [...(common.error?.issues ?? []), ...(own.error?.issues ?? [])])
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    if (!common.success || !own.success) return z.NEVER;
    const env = own.data;
    return {
      ...common.data,
      stripe:
        env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
          ? {
              secretKey: env.STRIPE_SECRET_KEY,
              webhookSecret: env.STRIPE_WEBHOOK_SECRET,
              api: apiLocation(env.STRIPE_API_URL),
            }
          : undefined,
      sandbox: {
        webhookSecret: env.PAY_SANDBOX_WEBHOOK_SECRET,
        webhookAttempts: env.PAY_SANDBOX_WEBHOOK_ATTEMPTS,
        webhookRetryMs: env.PAY_SANDBOX_WEBHOOK_RETRY_MS,
      },
      tokens: {
        minorUnitsPerAzr: env.PAY_TOKEN_PRICE_MINOR_UNITS,
        currency: env.PAY_TOKEN_CURRENCY,
        minTokens: env.PAY_TOKEN_MIN_AMOUNT,
        maxTokens: env.PAY_TOKEN_MAX_AMOUNT,
      },
      education: { url: env.AZORA_EDUCATION_URL, timeoutMs: env.PAY_EDUCATION_TIMEOUT_MS },
      providerTimeoutMs: env.PAY_PROVIDER_TIMEOUT_MS,
      reconciliation: {
        intervalMs: env.PAY_RECONCILE_INTERVAL_MS,
        minAgeMs: env.PAY_RECONCILE_MIN_AGE_MS,
        maxAgeMs: env.PAY_RECONCILE_MAX_AGE_HOURS * 3_600_000,
        batch: env.PAY_RECONCILE_BATCH,
      },
    };
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema(), env);
}
export type PayConfig = ReturnType<typeof loadConfig>;
